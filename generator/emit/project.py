"""The project files around a package: ``pyproject.toml`` and ``README.md``."""

from __future__ import annotations

import json

from ..spec.model import StageApi
from ..spec.naming import one_line
from .readme import readme_context
from .templating import header, render_template
from .views import GroupView


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but a non-BMP character must stay
    itself (JSON's ASCII mode writes a surrogate pair, which TOML rejects)."""
    return json.dumps(text, ensure_ascii=False)


def pyproject(stage: StageApi, spec_file: str) -> str:
    return render_template(
        "project/pyproject.toml.j2",
        toml_header=header(spec_file),
        dist_lit=toml_string(stage.package.replace("_", "-")),
        version_lit=toml_string(stage.info.version or "0.0.0"),
        description_lit=toml_string(
            one_line(f"{stage.info.title} client, stage {stage.stage.name}")
        ),
        package=stage.package,
    )


def readme(stage: StageApi, spec_file: str, groups: tuple[GroupView, ...]) -> str:
    return render_template(
        "project/README.md.j2",
        **readme_context(stage, spec_file, groups, header(spec_file, "<!--")),
    )

