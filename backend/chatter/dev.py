"""Dev mode: the built-in identity issuer, so the demo and tests need no intranet."""

from flask import Blueprint, current_app

from .api.inputs import load_query
from .identity import mint_dev_token
from .schemas import DevTokenQuerySchema

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.get("/identity-token")
def identity_token():
    """Sign a dev identity token for any user: ?sub=&name=&title=&department=."""
    args = load_query(DevTokenQuerySchema())
    sub = args.pop("sub")
    token = mint_dev_token(
        current_app.config["SECRET_KEY"], current_app.config["CHATTER_AUDIENCE"], sub, args
    )
    return {"identity_token": token}


def init_app(app):
    if app.config["CHATTER_DEV_MODE"]:
        app.register_blueprint(bp)
