"""A spec whose every free-text slot holds hostile strings, and a benign twin of it."""

from __future__ import annotations

from typing import Any

# Each would change the meaning of generated code if pasted into it unescaped.
HOSTILE_PARTS = [
    '"""',
    "'''",
    "back\\slash \\n \\x00 \\u2028",
    "\n import os; os.system('x')",
    '"""\nimport os\nos.system("x")\n"""',
    "'''; __import__('os').system('x'); '''",
    "{{ jinja }}",
    "{% raw %}",
    "{% endraw %}{# note #}",
    "line\u2028sep\u2029para",
    "</script><script>alert(1)</script>",
    "# comment",
    "-->",
    "```python\nimport os\n```",
    "${HOME} %s {0} {stage}",
]
HOSTILE = " ".join(HOSTILE_PARTS) + ' ends with a quote and a backslash \\"'
# Short slots (summaries, titles, messages) hold at most 200 characters.
HOSTILE_SHORT = '""" \'\'\' \\ {{ x }} {% raw %} </script> # c ``` \\"""; import os; os.system(\'x\') "'  # noqa: E501
ENUM_VALUES = [
    '"""',
    "a'b",
    "x\\y",
    "{{ v }}",
    "import os",
    "os.system('x')",
    "</script>",
    "# c",
    "with space",
    "Ünïcode",
    "123start",
    "class",
    "None",
]
PATTERN = "^[^\"'\\\\]*(\"\"\"|''')?$"
BENIGN = "Plain words only."


def hostile_spec(text: str = HOSTILE, short: str = HOSTILE_SHORT) -> dict[str, Any]:
    """The spec as data; ``text``/``short`` fill every description-like slot."""
    return {
        "routespec": 1,
        "api": {
            "name": "hostile",
            "title": short,
            "description": text,
            "base_url": "https://api.hostile.test/{stage}",
            "error_root": "HostileError",
        },
        "stages": [
            {"name": "v1", "description": text},
            {"name": "v2.1", "description": text},
        ],
        "auth": {"api_key": {"header": "x-api-key"}},
        "limits": {"rate": 10, "burst": 20},
        "pagination": {"style": "headers"},
        "date_range": {"start_field": "startDate", "end_field": "endDate"},
        "filters": {
            "RequestFilter": {
                "standard": True,
                "description": text,
                "fields": {
                    "startDate": {
                        "type": "DateTime?",
                        "description": text,
                        "default": short,
                    },
                    "endDate": {"type": "DateTime?", "description": text},
                    "page": {"type": "int?", "description": text},
                    "size": {"type": "int?", "description": text},
                    "self": {"type": "int?", "description": text},
                    "mood": {"type": "Mood?", "description": text},
                },
            },
        },
        "models": {
            "Mood": {"description": text, "enum": ENUM_VALUES},
            "Thing": {
                "description": text,
                "fields": {
                    "id": {"type": "int", "description": text, "example": text},
                    "class": {
                        "type": "string?",
                        "description": text,
                        "pattern": PATTERN,
                    },
                    "from": {"type": "DateTime?", "description": text},
                    "self": {"type": "int?", "description": text, "example": short},
                    "mood": {"type": "Mood?", "description": text},
                },
            },
        },
        "errors": {
            "codes": {
                "BAD_THING": {"status": 400, "description": text},
                "BUSY": {"status": 503, "retry": True, "description": text},
            },
            "gateway": [
                {
                    "name": "Throttled",
                    "status": 429,
                    "message": short,
                    "retry": True,
                    "description": text,
                },
            ],
        },
        "routes": [
            {
                "name": "things.list",
                "method": "POST",
                "path": "/things",
                "summary": short,
                "description": text,
                "example": short,
                "paged": True,
                "request_filter": [
                    "startDate",
                    "endDate",
                    "page",
                    "size",
                    "self",
                    "mood",
                ],
                "response": {"list_of": "Thing"},
                "max_range": "7d",
                "errors": ["BAD_THING"],
            },
            {
                "name": "things.update",
                "method": "PATCH",
                "path": "/things",
                "summary": short,
                "description": text,
                "body": {"list_of": "Thing"},
                "response": "none",
                "since": "v2.1",
            },
        ],
    }
