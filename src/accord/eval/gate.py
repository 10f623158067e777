"""The gate: today's figures against the floors in a tracked baseline file
(as trafilatura's ``tests/eval_baseline.json``).  A figure below its floor
fails; a floor is lowered only with an explicit flag."""

from __future__ import annotations

import json
import math
from pathlib import Path

from .._errors import AccordError

TOLERANCE = 1e-9


def read_floors(path: Path) -> dict[str, dict[str, float]]:
    """The floors a baseline file holds, by report name; none when it does
    not exist yet.  A file that is not one is refused, not overwritten."""
    if not path.exists():
        return {}
    try:
        floors = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise AccordError(f"{path} is not a baseline file ({type(error).__name__}: {error}): it holds the "
                          "floors as JSON, {report: {figure: floor}}") from None
    if not isinstance(floors, dict) or not all(
            isinstance(v, dict) and all(isinstance(f, (int, float)) for f in v.values()) for v in floors.values()):
        raise AccordError(f"{path} is not a baseline file: it holds the floors as JSON, {{report: {{figure: floor}}}}")
    return floors


def check(report: dict, name: str, baseline: str | None, update: bool, allow_lower: bool, console) -> int:
    """0 when every gated figure is at or above its floor, 1 otherwise."""
    if baseline is None:
        return 0
    path = Path(baseline)
    floors = read_floors(path)
    current = floors.get(name, {})
    figures = report["gate"]
    if update:
        lowered = [k for k, v in figures.items() if k in current and v < current[k] - TOLERANCE]
        if lowered and not allow_lower:
            console.print(f"[red]refusing to lower floors {', '.join(lowered)} without --allow-lower[/red]")
            return 1
        floors[name] = {k: math.floor(v * 10_000) / 10_000 for k, v in figures.items()}
        try:
            path.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n")
        except OSError as error:
            raise AccordError(f"cannot write the baseline {path}: {error.strerror or error}") from None
        console.print(f"baseline {path} updated for {name}")
        return 0
    failed = [(k, figures.get(k), floor) for k, floor in current.items()
              if figures.get(k) is None or figures[k] < floor - TOLERANCE]
    for k, got, floor in failed:
        console.print(f"[red]{name}: {k} = {got} is below its floor {floor}[/red]")
    if not current:
        console.print(f"[yellow]{baseline} has no floors for {name}; run with --update-baseline[/yellow]")
    return 1 if failed else 0
