"""accord's command line: verbs that match the stages.

    accord ingest PATH...        read, clean, code and store
    accord extract PATH...       the record of each article, without storing
    accord articles | events | stories | relation A B   what the store knows
    accord eval plover FILE | eval articles DIR GOLD    score the coder
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ._errors import AccordError
from .settings import Settings, db_url

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  help="accord: what countries did with each other, read from the news, with the evidence.")
eval_app = typer.Typer(no_args_is_help=True, help="Score the event coder on gold data, against a tracked baseline.")
app.add_typer(eval_app, name="eval")

# Pipes and CI logs get a fixed, readable width; terminals their own.
out = Console(width=None if sys.stdout.isatty() else 110)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 110)

DB_HELP = "Database: a SQLAlchemy URL (sqlite:///path.db, postgresql://...) or a path. Default: $ACCORD_DB or accord.db."


def _settings(db: Optional[str], verbose: bool = False) -> Settings:
    return Settings(db=db_url(db), verbose=verbose)


def _store(db: Optional[str]):
    from .store import Store
    settings = _settings(db)
    return Store(settings.db, duplicate_threshold=settings.near_duplicate_threshold)


def _country(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    from .nlp.gazetteer import gazetteer
    code = gazetteer().country_code(value)
    if code is None:
        raise typer.BadParameter(f"{value!r} is not a country accord knows: give an ISO code (VNM, VN) or a name (Vietnam)")
    return code


def _jsonl(rows) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _fail(error: AccordError) -> None:
    err.print(f"[red]error:[/red] {error}")
    raise typer.Exit(2)


def _query(db: Optional[str], json_out: bool, fetch):
    """Rows of a store query; with ``--json`` they are printed here and
    None comes back."""
    try:
        rows = fetch(_store(db))
    except AccordError as error:
        _fail(error)
    if json_out:
        _jsonl(rows)
        return None
    return rows


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive) or - for standard input."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Name every failed document, not only the first 20."),
) -> None:
    """Read, clean, code and store articles. The same bytes twice add nothing."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from .pipeline import ingest as run_ingest

    try:
        store = _store(db)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True, disable=json_out) as progress:
            task = progress.add_task("ingesting", total=None)

            def tick(source: str) -> None:
                progress.update(task, advance=1, description=f"ingesting {source[-50:]}")

            summary = run_ingest(paths, store, _settings(db, verbose), progress=tick)
    except AccordError as error:
        _fail(error)
    if json_out:
        _jsonl([summary.as_dict()])
    else:
        table = Table(title=f"accord ingest → {store.url}", show_header=True)
        for col in ("read", "new", "duplicates", "failed"):
            table.add_column(col, justify="right")
        table.add_row(str(summary.read), str(summary.new), str(summary.duplicates), str(summary.failed))
        out.print(table)
    shown = summary.failures if verbose else summary.failures[:20]
    for failure in shown:
        err.print(f"[red]failed[/red] {failure.source}: {failure.reason}")
    if len(shown) < summary.failed:
        err.print(f"… and {summary.failed - len(shown)} more failures (-v lists them all)")
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive) or - for standard input."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object per article (JSON Lines)."),
) -> None:
    """Print the record of each article (not stored)."""
    from .models import Failure
    from .pipeline import extract_paths

    failed = 0
    try:
        for item in extract_paths(paths):
            if isinstance(item, Failure):
                failed += 1
                err.print(f"[red]failed[/red] {item.source}: {item.reason}")
                continue
            if json_out:
                _jsonl([item.as_dict()])
            else:
                _print_article(item)
    except AccordError as error:
        _fail(error)
    raise typer.Exit(1 if failed else 0)


def _print_article(a) -> None:
    out.rule(a.title or a.source or a.id)
    meta = Table.grid(padding=(0, 2))
    for label, value in (("source", a.source), ("published", a.published or "unknown"), ("outlet", a.outlet or "—"),
                         ("credit", a.credit or "—"),
                         ("dateline", f"{a.dateline.name} ({a.dateline.country})" if a.dateline else "—"),
                         ("language", a.language or "—"), ("id", a.id)):
        meta.add_row(f"[bold]{label}[/bold]", str(value))
    out.print(meta)
    if a.people:
        out.print("[bold]people:[/bold] " + "; ".join(
            f"{p.name} ({p.country or '?'}, {p.role or '?'}{', historical' if p.historical else ''})" for p in a.people))
    table = Table("type", "mode", "source", "target", "date", "place", "level", "evidence", show_lines=False)
    for e in a.events:
        table.add_row(e.type, e.mode, ", ".join(f"{x.name} [{x.country}]" for x in e.source),
                      ", ".join(f"{x.name} [{x.country}]" for x in e.target), e.date or "—",
                      e.place.name if e.place else "—", e.relation_level or "", e.evidence[0].text[:90])
    out.print(table)
    if a.commitments:
        ctable = Table("sector", "parties", "commitment")
        for c in a.commitments:
            ctable.add_row(c.sector, ",".join(c.parties), c.text[:110])
        out.print(ctable)


@app.command()
def articles(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    country: Optional[str] = typer.Option(None, "--country", help="Only articles with an event of this country."),
    limit: Optional[int] = typer.Option(None, "--limit"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """The stored articles."""
    code = _country(country)
    rows = _query(db, json_out, lambda store: store.articles(country=code, limit=limit))
    if rows is None:
        return
    table = Table(title="articles")
    table.add_column("title", max_width=34, overflow="ellipsis", no_wrap=True)
    for col in ("published", "credit", "outlet", "dateline", "events", "copy of"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["title"] or Path(r["source"] or "").name, (r["published"] or "unknown")[:10], r["credit"] or "—",
                      r["outlet"] or "—", r["dateline"]["name"] if r["dateline"] else "—", str(r["events"]),
                      (r["copy_of"] or "")[:19])
    out.print(table)


@app.command()
def events(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    country: Optional[str] = typer.Option(None, "--country", help="ISO alpha-3, alpha-2 or name."),
    since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD"),
    until: Optional[str] = typer.Option(None, "--until", help="YYYY-MM-DD"),
    type: Optional[str] = typer.Option(None, "--type", help="PLOVER type, e.g. CONSULT"),
    limit: Optional[int] = typer.Option(None, "--limit"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """The stored events, oldest first."""
    code = _country(country)
    rows = _query(db, json_out, lambda store: store.events(country=code, since=since, until=until, type=type, limit=limit))
    if rows is None:
        return
    table = Table("date", "type", "mode", "source", "target", "place", "level", "source text", title="events")
    for r in rows:
        table.add_row(r["date"] or "—", r["type"], r["mode"], ", ".join(f"{a['name']} [{a['country']}]" for a in r["source"]),
                      ", ".join(f"{a['name']} [{a['country']}]" for a in r["target"]),
                      r["place"]["name"] if r["place"] else "—", r["relation_level"] or "",
                      (r["evidence"][0]["text"][:70] if r["evidence"] else ""))
    out.print(table)


@app.command()
def stories(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    country: Optional[str] = typer.Option(None, "--country"),
    type: Optional[str] = typer.Option(None, "--type"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Happenings reported by one or more articles, with their sources."""
    code = _country(country)
    rows = _query(db, json_out, lambda store: store.stories(country=code, type=type))
    if rows is None:
        return
    table = Table("date", "type", "mode", "countries", "level", "articles", "sources", title="stories")
    for r in rows:
        table.add_row(r["date"] or "—", r["type"], r["mode"], "–".join(r["countries"]), r["relation_level"] or "",
                      str(r["article_count"]), ", ".join(r["sources"]))
    out.print(table)


@app.command()
def relation(
    a: str = typer.Argument(..., help="A country: ISO alpha-3, alpha-2 or name."),
    b: str = typer.Argument(..., help="The other country."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """The record of two countries: level, timeline, commitments by sector, sources."""
    x, y = _country(a), _country(b)
    rec = _query(db, json_out, lambda store: [store.relation(x, y)])
    if rec is None:
        return
    rec = rec[0]
    from .nlp.gazetteer import gazetteer
    names = gazetteer().countries
    out.rule(f"{names[x].name} ({x}) – {names[y].name} ({y})")
    out.print(f"[bold]level:[/bold] {rec['level'] or 'no level recorded'}"
              + (f" since {rec['since']}" if rec["since"] else ""))
    table = Table("date", "type", "mode", "level", "articles", "sources", title="timeline")
    for s in rec["timeline"]:
        table.add_row(s["date"] or "—", s["type"], s["mode"], s["relation_level"] or "", str(s["article_count"]),
                      ", ".join(s["sources"]))
    out.print(table)
    ctable = Table(title="commitments by sector")
    ctable.add_column("sector", no_wrap=True)
    ctable.add_column("n", justify="right", min_width=2)
    ctable.add_column("for example", no_wrap=True, overflow="ellipsis", max_width=48)
    for sector, items in rec["commitments"].items():
        ctable.add_row(sector, str(len(items)), items[0]["text"])
    out.print(ctable)
    out.print(f"[bold]sources:[/bold] {', '.join(rec['sources']) or '—'}")


@eval_app.command("plover")
def eval_plover(
    file: str = typer.Argument(..., help="PLOVER gold records (JSON list)."),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="Baseline file of floors to check against."),
    update: bool = typer.Option(False, "--update-baseline", help="Write today's figures as the new floors."),
    allow_lower: bool = typer.Option(False, "--allow-lower", help="Let --update-baseline lower a floor."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Score the coder on PLOVER gold sentences: type accuracy, actor codes, misses."""
    from .eval import plover
    from .eval.gate import check
    report = plover.evaluate(file)
    _report(report, json_out, plover.print_report)
    raise typer.Exit(check(report, "plover", baseline, update, allow_lower, err))


@eval_app.command("articles")
def eval_articles(
    folder: str = typer.Argument(..., help="Folder of article files."),
    gold: str = typer.Argument(..., help="Gold records, JSON Lines."),
    baseline: Optional[str] = typer.Option(None, "--baseline"),
    update: bool = typer.Option(False, "--update-baseline"),
    allow_lower: bool = typer.Option(False, "--allow-lower"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Score the coder on real articles: event keys, dates, levels, article facts."""
    from .eval import articles as art
    from .eval.gate import check
    report = art.evaluate(folder, gold)
    _report(report, json_out, art.print_report)
    raise typer.Exit(check(report, "articles", baseline, update, allow_lower, err))


def _report(report, json_out: bool, printer) -> None:
    if json_out:
        _jsonl([report])
    else:
        printer(report, out)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
