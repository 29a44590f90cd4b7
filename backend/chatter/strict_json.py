"""JSON from strangers, parsed with a bound on nesting: no input reaches the recursion limit."""

import json

MAX_DEPTH = 32  # our deepest real body is 3 levels ({"images": [{"id": 1}]})


class TooDeep(ValueError):
    """The JSON nests containers more than MAX_DEPTH levels."""


def parse_json(data):
    """The JSON value in `data` (bytes or str); TooDeep or another ValueError when it is not."""
    try:
        value = json.loads(data)
    except RecursionError:  # the C decoder stops at the interpreter's recursion limit
        raise TooDeep from None
    if _too_deep(value):
        raise TooDeep
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
