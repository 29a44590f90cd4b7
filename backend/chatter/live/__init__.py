"""The live wire: the hub that fans the event log out, its frames, and the WebSocket."""

from .hub import Hub, get_hub, init_app, shutdown_all

__all__ = ["Hub", "get_hub", "init_app", "shutdown_all"]
