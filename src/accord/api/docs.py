"""/docs: the API described from its OpenAPI document, as a plain page
that loads nothing from elsewhere (FastAPI's default page fetches Swagger
UI from a CDN, and no package on PyPI ships its files for offline use)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..web._render import render

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _type(p.get("schema", {})), "description": p.get("description", "")}
                      for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": _code(op.get("description", "")), "parameters": params,
                              "responses": sorted(op.get("responses", {})),
                              "form": method == "get" and "{" not in path})
    return HTMLResponse(render(request, "docs.html", spec=spec, intro=_code(spec["info"].get("description", "")),
                               endpoints=endpoints))


def _code(text: str) -> list[tuple[str, bool]]:
    """A description cut at its backticks: (text, is code) pieces, which the
    template escapes one by one."""
    parts = text.replace("``", "`").split("`")
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def _type(schema: dict) -> str:
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    bounds = [f"{k.replace('imum', '')} {schema[k]}" for k in ("minimum", "maximum") if k in schema]
    return schema.get("type", "any") + (f" ({', '.join(bounds)})" if bounds else "")
