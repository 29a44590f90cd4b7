"""JSON from strangers, parsed with a bound on nesting: no input reaches the recursion limit."""

import json

MAX_DEPTH = 32  # our deepest real body is 3 levels ({"images": [{"id": 1}]})


def parse_json(data):
    """The JSON value in `data` (bytes or str); ValueError when it is not JSON or nests too deep."""
    try:
        value = json.loads(data)
    except RecursionError:  # the C decoder stops at the interpreter's recursion limit
        raise ValueError("nested too deeply") from None
    if _too_deep(value):
        raise ValueError("nested too deeply")
    return value


def _too_deep(value):
    """True when containers nest more than MAX_DEPTH levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > MAX_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False
