"""One client benchmark case as a whole process, timed (and its peak RSS read) from outside.

    python bench/clientcase.py CONTENDER CASE --url http://127.0.0.1:PORT [--records N]
        [--requests N]

It prints nothing: the caller (``bench/run.py``) times the process and reads its peak
RSS (``os.wait4``). ``--url`` is the root of a ``bench/pageserver.py`` server; the
server answers ``/n<records>/…`` with that many records in all.

CONTENDER:

- ``routegen``: the generated v2.1 package (``client.machines.list(size=2000)``,
  ``client.auth.token_test()``, ``import vendnovation_v2_1``);
- ``httpx-json``: raw httpx, ``json.loads`` per page;
- ``httpx-adapter``: raw httpx, ``TypeAdapter(list[Machine]).validate_json`` per page,
  ``Machine`` a plain pydantic copy of the generated model (no runtime base class);
- ``raw``: raw httpx (small requests read as text; pages as ``httpx-json``). A small
  request carries the same JSON body and API key as the client's (the API's standard
  body goes with every route), so both sides send the same bytes.

For ``import`` every contender but ``routegen`` imports ``httpx`` and ``pydantic``.

CASE: ``page-sync``, ``page-async`` (every record of ``--records``, default 50,000, in
pages of 2,000), ``requests`` (``--requests`` small requests, default 2,000),
``import``, ``import-use`` (the package imported, a ``Client`` built, ``client.machines``
and ``Machine`` loaded: what a program pays before its first call; the other contenders
import ``httpx`` and ``pydantic`` as for ``import``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "generated" / "vendnovation_v2_1"))

KEY, USER, PASSWORD = "bench-key", "bench@example.com", "bench-password"
SIZE = 2000
BODY = b'{"requestFilter":{},"routeFilter":{}}'  # what the client sends to token-test
CONTENDERS = ("routegen", "httpx-json", "httpx-adapter", "raw")
CASES = ("page-sync", "page-async", "requests", "import", "import-use")


def _headers(page: int) -> dict[str, str]:
    return {"x-api-key": KEY, "access-token": "t", "page": str(page), "size": str(SIZE)}


def _plain(model: Any, seen: dict[Any, Any]) -> Any:
    """A pydantic model with the same fields and config but plain ``BaseModel`` bases."""
    import pydantic

    if model in seen:
        return seen[model]

    def swap(annotation: Any) -> Any:
        if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
            return _plain(annotation, seen)
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            args = tuple(swap(a) for a in typing.get_args(annotation))
            return typing.Union[args]  # noqa: UP007
        return annotation

    fields = {name: (swap(info.annotation), info) for name, info in model.model_fields.items()}
    plain = pydantic.create_model(  # type: ignore[call-overload]
        f"Plain{model.__name__}", __config__=model.model_config, **fields
    )
    seen[model] = plain
    return plain


def _client(pkg: Any, base: str, *, asynchronous: bool = False) -> Any:
    kind = pkg.AsyncClient if asynchronous else pkg.Client
    return kind(base_url=base, api_key=KEY, username=USER, password=PASSWORD, limiter=False)


def _decoder(contender: str) -> Callable[[bytes], list[Any]]:
    if contender != "httpx-adapter":
        return json.loads  # type: ignore[no-any-return]
    import pydantic
    import vendnovation_v2_1 as pkg

    adapter = pydantic.TypeAdapter(list[_plain(pkg.Machine, {})])  # type: ignore[misc]
    return adapter.validate_json


def page_sync(contender: str, base: str, pages: int) -> int:
    """Walk every page; return the record count."""
    import httpx

    if contender == "routegen":
        import vendnovation_v2_1 as pkg

        with _client(pkg, base) as client:
            return sum(1 for _ in client.machines.list(size=SIZE))
    decode = _decoder(contender)
    count = 0
    with httpx.Client() as http:
        for page in range(1, pages + 1):
            response = http.post(f"{base}/machines", json={}, headers=_headers(page))
            count += len(decode(response.content))
    return count


async def page_async(contender: str, base: str, pages: int) -> int:
    """The async twin of ``page_sync``."""
    import httpx

    count = 0
    if contender == "routegen":
        import vendnovation_v2_1 as pkg

        async with _client(pkg, base, asynchronous=True) as client:
            async for _ in client.machines.list(size=SIZE):
                count += 1
        return count
    decode = _decoder(contender)
    async with httpx.AsyncClient() as http:
        for page in range(1, pages + 1):
            response = await http.post(f"{base}/machines", json={}, headers=_headers(page))
            count += len(decode(response.content))
    return count


def requests(contender: str, base: str, total: int) -> None:
    """``total`` small requests (the API key test route)."""
    import httpx

    if contender == "routegen":
        import vendnovation_v2_1 as pkg

        with _client(pkg, base) as client:
            for _ in range(total):
                client.auth.token_test()
        return
    # The same request the client sends: the API's standard body on every route.
    headers = {"x-api-key": KEY, "content-type": "application/json"}
    with httpx.Client() as http:
        for _ in range(total):
            response = http.post(f"{base}/token-test", content=BODY, headers=headers)
            response.raise_for_status()
            response.text  # noqa: B018


def main(argv: list[str] | None = None) -> None:
    """Run one case; exit non-zero when a walk returns the wrong number of records."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contender", choices=CONTENDERS)
    parser.add_argument("case", choices=CASES)
    parser.add_argument("--url", default="")
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=2_000)
    args = parser.parse_args(argv)
    base = f"{args.url.rstrip('/')}/n{args.records}"
    pages = -(-args.records // SIZE)
    if args.case == "import-use" and args.contender == "routegen":
        import vendnovation_v2_1 as pkg

        client = pkg.Client(base_url=base, api_key=KEY, username=USER, password=PASSWORD)
        assert client.machines is not None and pkg.Machine.model_fields
    elif args.case.startswith("import"):
        if args.contender == "routegen":
            import vendnovation_v2_1  # noqa: F401
        else:
            import httpx  # noqa: F401
            import pydantic  # noqa: F401
    elif args.case == "requests":
        requests(args.contender, base, args.requests)
    elif args.case == "page-async":
        if asyncio.run(page_async(args.contender, base, pages)) != args.records:
            sys.exit("wrong record count")
    elif page_sync(args.contender, base, pages) != args.records:
        sys.exit("wrong record count")


if __name__ == "__main__":
    main()
