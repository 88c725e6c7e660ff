"""Render one stage into the files of its package (unformatted Python, final other files).

Each generated module has its own emitter (``api_module``, ``errors_module``,
``filters``, ``resources``, ``client``, ``package_init``) that builds its template's
slots and its docstring; models come from datamodel-code-generator (``models``);
``project`` writes ``pyproject.toml`` and ``README.md``; the runtime is copied verbatim
from ``generator/runtime/`` with the do-not-edit header in front.
"""

from __future__ import annotations

from types import ModuleType

from ..spec.model import StageApi
from ..spec.naming import one_line
from . import (
    api_module,
    client,
    errors_module,
    filters,
    package_init,
    project,
    resources,
    views,
)
from .models import render_models
from .resources import PACKAGE as RESOURCES
from .soap import SOAP_RUNTIME_PREFIX
from .templating import RUNTIME, RenderedFile, header, render_template
from .views import GroupView, docstring

__all__ = ["RenderedFile", "header", "render_stage"]

# One emitter per templated module, in the order the files are listed.
EMITTERS: tuple[ModuleType, ...] = (
    api_module,
    errors_module,
    filters,
    client,
    package_init,
)


def render_stage(stage: StageApi, spec_file: str) -> list[RenderedFile]:
    """Every file of the stage's project directory, paths relative to the output root."""
    models = render_models(stage, header(spec_file))
    return [models_file(stage, models), *render_templates(stage, spec_file)]


def models_file(stage: StageApi, content: str) -> RenderedFile:
    """``models.py`` of the stage, from datamodel-code-generator's output (``models``)."""
    return RenderedFile(f"{stage.package}/{stage.package}/models.py", content, True)


def render_templates(stage: StageApi, spec_file: str) -> list[RenderedFile]:
    """The stage's files other than ``models.py``, in ``render_stage``'s order."""
    pkg = stage.package
    head = header(spec_file)
    groups = views.group_views(stage)
    base = f"{pkg}/{pkg}"
    files = [RenderedFile(f"{base}/py.typed", "", False)]
    for name, content in _package_modules(stage, head, groups).items():
        files.append(RenderedFile(f"{base}/{name}", content, True, stable=True))
    for path in sorted(RUNTIME.glob("*.py")):
        if path.name.startswith(SOAP_RUNTIME_PREFIX):  # SOAP packages only
            continue
        text = head + "\n" + path.read_text(encoding="utf-8")
        files.append(RenderedFile(f"{base}/_runtime/{path.name}", text, False))
    files.append(
        RenderedFile(f"{pkg}/pyproject.toml", project.pyproject(stage, spec_file), False)
    )
    files.append(
        RenderedFile(f"{pkg}/README.md", project.readme(stage, spec_file, groups), False)
    )
    return files


def _package_modules(
    stage: StageApi, head: str, groups: tuple[GroupView, ...]
) -> dict[str, str]:
    where = f"{one_line(stage.info.title)}, stage {stage.stage.name}"
    modules = {
        emitter.FILE: render_template(
            f"package/{emitter.FILE}.j2",
            module_doc=docstring(emitter.module_doc(where, stage), ""),
            header=head,
            **emitter.context(stage, groups),
        )
        for emitter in EMITTERS
    }
    modules[f"{RESOURCES}/__init__.py"] = render_template(
        f"package/{RESOURCES}/__init__.py.j2",
        module_doc=docstring(resources.module_doc(where, stage), ""),
        header=head,
    )
    for g in groups:  # one module per group: black and imports scale per group
        modules[f"{RESOURCES}/{g.attr}.py"] = render_template(
            f"package/{RESOURCES}/group.py.j2",
            module_doc=docstring(resources.group_doc(where, g), ""),
            header=head,
            **resources.context(stage, g),
        )
    return modules
