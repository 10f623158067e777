"""accord's command line: verbs that match the stages.

    accord ingest PATH...        read, clean, code and store
    accord extract PATH...       the record of each article, without storing
    accord articles | events | stories | relation A B | commitments | failures
                                 what the store knows
    accord export events|stories|commitments --format F   the record as files
    accord eval plover FILE | eval articles DIR GOLD    score the coder

A value an option cannot take gets one line on standard error and exit
status 2; a document that fails gets its line and the batch goes on (exit 1).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import NoReturn, Optional

import typer
import typer.core
from typer._click import exceptions as click_errors  # typer 0.29 ships its own click; pinned in pyproject
from rich.console import Console
from rich.markup import escape as _escape_markup
from rich.table import Table
from rich.text import Text

from ._errors import AccordError
from .settings import Settings, db_url
from .store import filters

class _OneLineErrors(typer.core.TyperGroup):
    """Usage errors (a bad option value, a missing argument) as one line on
    standard error, exit status 2, instead of click's usage block."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            args = list(sys.argv[1:] if args is None else args)
            self._check_values(args)
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as error:
            if not standalone_mode:
                raise
            error.show()
            sys.exit(error.exit_code)
        except click_errors.ClickException as error:
            if not standalone_mode:
                raise
            where = f"{error.ctx.command_path}: " if getattr(error, "ctx", None) else ""
            hint = f" (see '{error.ctx.command_path} --help')" if isinstance(error, click_errors.UsageError) and error.ctx else ""
            typer.echo(f"error: {where}{error.format_message()}{hint}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo("aborted", err=True)
            sys.exit(1)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv

    def _check_values(self, args: list[str]) -> None:
        """Values click would take without a word: an empty one (``--country
        ""``, an unset shell variable) is never what was meant, and an option
        given twice would silently keep the last."""
        command, rest = self, args
        while rest and rest[0] in getattr(command, "commands", {}):
            command, rest = command.commands[rest[0]], rest[1:]
        options = {name: p for p in command.params if p.param_type_name == "option"
                   for name in p.opts + p.secondary_opts}
        seen: dict[str, str] = {}
        ended = False  # after "--", everything is an argument
        for i, arg in enumerate(rest):
            if arg == "--" and not ended:
                ended = True
                continue
            name, _, value = arg.partition("=") if arg.startswith("--") and "=" in arg and not ended else (arg, "", None)
            option = options.get(name) if not ended else None
            if option is not None and not option.is_flag and not option.multiple:
                if option.name in seen:
                    raise click_errors.UsageError(f"{seen[option.name]} is given twice: give it once", None)
                seen[option.name] = name
            given = arg if value is None else value
            if given.strip():
                continue
            before = options.get(rest[i - 1]) if i and not ended else None
            where = name if value is not None else rest[i - 1] if before is not None and not before.is_flag else ""
            raise click_errors.UsageError(f"{where or 'an argument'} is empty: give a value, or leave "
                                          f"{'the option' if where else 'it'} out", None)


def _version(value: bool) -> None:
    if value:
        from . import __version__
        typer.echo(f"accord {__version__}")
        raise typer.Exit(0)


app = typer.Typer(cls=_OneLineErrors, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="accord: what countries did with each other, read from the news, with the evidence.")
eval_app = typer.Typer(no_args_is_help=True, help="Score the event coder on gold data, against a tracked baseline.")
app.add_typer(eval_app, name="eval")


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print accord's version and exit.")) -> None:
    """accord: what countries did with each other, read from the news, with the evidence."""


# Characters a terminal would act on instead of showing: controls (ESC starts the sequences that clear
# the screen, recolour it or forge a link), line separators, and the marks that reorder text.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(value) -> str:
    """``value`` as text a terminal shows as it is: its control characters
    written out (``\\x1b``, ``\\n``) where a file name or a title has them."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii")
                   if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)


def escape(value) -> str:
    """Data for a line printed with markup: its control characters written
    out, and its brackets kept from being read as Rich markup."""
    return _escape_markup(printable(value))


class DataTable(Table):
    """A table of stored data: every cell is shown as written, never read as
    Rich markup ("[red]", "[link=...]" in a title), control characters
    written out."""

    def add_row(self, *cells, **kwargs) -> None:
        super().add_row(*(Text(printable(c)) if isinstance(c, str) else c for c in cells), **kwargs)


# Pipes and CI logs get a fixed, readable width; terminals their own.
out = Console(width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, soft_wrap=True)  # one message, one line, whatever its length

DB_HELP = "Database: a SQLAlchemy URL (sqlite:///path.db, postgresql://...) or a path. Default: $ACCORD_DB or accord.db."
SINCE_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY."
UNTIL_FORMS = "YYYY-MM-DD, YYYY-MM (its last day) or YYYY."
SINCE_HELP = "From this day: " + SINCE_FORMS
UNTIL_HELP = "Up to this day: " + UNTIL_FORMS
TYPE_HELP = "PLOVER event type, e.g. CONSULT."
COUNTRY_HELP = "ISO alpha-3, alpha-2 or name."
LIMIT_HELP = "At most this many rows (1 or more)."
MAX_ROWS = 2**62  # what a database's 64-bit integers take: more than any store holds


def _settings(db: Optional[str], verbose: bool = False, allow_private: bool = False, **limits) -> Settings:
    return Settings(db=db_url(db), verbose=verbose, allow_private=allow_private,
                    **{k: v for k, v in limits.items() if v is not None})


ALLOW_PRIVATE_HELP = "Fetch URLs that resolve to private, loopback or link-local addresses (refused by default)."
MAX_BYTES_HELP = "Refuse a document over this many bytes (default 20,000,000)."
TIME_LIMIT_HELP = ("Seconds of cleaning and coding one document may take (default 60); a document coded past it "
                   "keeps the events found until then.")
MAX_MEMORY_HELP = ("MB of memory this process may map (default 4096); a document that needs more is recorded "
                   "as a failure and the run goes on.")


# The largest values the limits can be set to: a timer of a million seconds (eleven days) is no limit in
# practice, and the memory cap is given to the system in bytes, a signed 64-bit number.
MAX_TIME_LIMIT = 1_000_000
MAX_MEMORY_MB = (2**63 - 1) >> 20
MAX_BYTES = 2**62


def _limits(max_bytes, time_limit, max_memory) -> dict:
    """The limit options, checked here so that a bad value is one line."""
    if max_bytes is not None and not 1 <= max_bytes <= MAX_BYTES:
        raise typer.BadParameter(f"must be 1 to {MAX_BYTES:,}, not {max_bytes}", param_hint="--max-bytes")
    if time_limit is not None and not 0 < time_limit <= MAX_TIME_LIMIT:
        raise typer.BadParameter(f"must be a positive number of seconds up to {MAX_TIME_LIMIT:,}, not {time_limit}",
                                 param_hint="--time-limit")
    if max_memory is not None and not 256 <= max_memory <= MAX_MEMORY_MB:
        raise typer.BadParameter(f"must be 256 to {MAX_MEMORY_MB:,} (MB), not {max_memory}", param_hint="--max-memory")
    return {"max_bytes": max_bytes, "time_limit": time_limit, "max_memory": max_memory}


def _store(db: Optional[str], *, must_exist: bool = True):
    """The store; the reading commands (``must_exist``) never create one."""
    from .store import Store
    settings = _settings(db)
    return Store(settings.db, duplicate_threshold=settings.near_duplicate_threshold, must_exist=must_exist)


def _fail(error: Exception) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(2)


def _checked(fn, *args, **kwargs):
    """A filter's value, or one line and exit 2."""
    try:
        return fn(*args, **kwargs)
    except AccordError as error:
        _fail(error)


def _country(value: Optional[str]) -> Optional[str]:
    return _checked(filters.country, value)


def _jsonl(rows) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _limit(limit: Optional[int]) -> Optional[int]:
    if limit is not None and limit > MAX_ROWS:
        _fail(AccordError(f"--limit must be 1 to {MAX_ROWS:,}, not {limit}"))
    return limit


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


def _none(what: str) -> None:
    out.print(f"no {what} match", highlight=False)


def clip(text: str | None, width: int) -> str:
    """``text`` cut at a word boundary to fit ``width``, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def day(value: str | None, precision: str | None = None) -> str:
    """A stored date as precise as it is known: "2023", "2025-05", "2025-05-07"."""
    if not value:
        return "—"
    if precision == "year":
        return value[:4]
    if precision == "month":
        return value[:7]
    return value[:10]


def _actors(actors: list[dict]) -> str:
    return ", ".join(f"{a['name']} [{a['country']}]" if a.get("country") else a["name"] for a in actors)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive), http(s) URLs or - for standard input."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Name every failed document, not only the first 20."),
    allow_private: bool = typer.Option(False, "--allow-private", help=ALLOW_PRIVATE_HELP),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help=MAX_BYTES_HELP),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help=TIME_LIMIT_HELP),
    max_memory: Optional[int] = typer.Option(None, "--max-memory", help=MAX_MEMORY_HELP + " Local engine only."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", help="Documents cleaned and coded together before "
                                             "they are stored (default 32)."),
    engine: str = typer.Option("local", "--engine", help="Where to clean and code: local (this process) or ray (a Ray "
                               "cluster; pip install 'accord[ray]'). Storing is the same either way."),
    workers: Optional[int] = typer.Option(None, "--workers", help="With --engine ray: the workers that clean and code "
                                          "(default: the cluster's CPUs)."),
    address: Optional[str] = typer.Option(None, "--address", help="With --engine ray: the cluster, ray://HOST:10001, "
                                          "HOST:6379 or auto (default: one started here for the run, on 127.0.0.1)."),
    parquet: Optional[str] = typer.Option(None, "--parquet", help="With --engine ray: a new or empty folder the "
                                          "workers write the coded documents to, kept (on several machines: storage "
                                          "they and this one share); default: a temporary folder."),
) -> None:
    """Read, clean, code and store articles (files, folders, URLs, -). The same bytes twice add nothing."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from ._limits import capped_memory
    from .pipeline import ingest as run_ingest

    if batch_size is not None and not 1 <= batch_size <= MAX_ROWS:
        raise typer.BadParameter(f"must be 1 to {MAX_ROWS:,}, not {batch_size}", param_hint="--batch-size")
    settings = _settings(db, verbose, allow_private, batch_size=batch_size,
                         **_limits(max_bytes, time_limit, max_memory))
    extractor, connected = _engine(engine, workers, address, parquet, max_memory)
    try:
        store = _store(db, must_exist=False)
        with store, Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=err, transient=True, disable=json_out) as progress:
            task = progress.add_task("ingesting" if extractor is None else "starting Ray", total=None)

            def tick(source: str) -> None:
                progress.update(task, advance=1, description=f"ingesting {source[-50:]}")

            # The memory cap is the local engine's: Ray's processes would inherit it, and cannot run under it.
            with capped_memory(settings.max_memory) if extractor is None else connected:
                if extractor is not None:
                    progress.update(task, description="cleaning and coding on Ray")
                summary = run_ingest(paths, store, settings, progress=tick, extractor=extractor)
    except AccordError as error:
        _fail(error)
    if json_out:
        _jsonl([summary.as_dict()])
    else:
        table = DataTable(title=f"accord ingest → {escape(store.url)}", show_header=True)
        for col in ("read", "new", "duplicates", "failed"):
            table.add_column(col, justify="right")
        table.add_row(str(summary.read), str(summary.new), str(summary.duplicates), str(summary.failed))
        out.print(table)
    _passed_over(summary.skipped)
    if summary.recoded:
        err.print(f"coded again: {summary.recoded} stored before in part, under a shorter --time-limit",
                  highlight=False)
    for note in summary.partial if verbose else summary.partial[:20]:
        err.print(f"[yellow]partly coded[/yellow] {escape(note.source)}: {escape(note.reason)}", highlight=False)
    shown = summary.failures if verbose else summary.failures[:20]
    for failure in shown:
        err.print(f"[red]failed[/red] {escape(failure.source)}: {escape(failure.reason)}", highlight=False)
    if len(shown) < summary.failed:
        err.print(f"… and {summary.failed - len(shown)} more failures (-v lists them all)")
    raise typer.Exit(1 if summary.failed else 0)


def _passed_over(skipped: Counter) -> None:
    if skipped:
        err.print("passed over: " + ", ".join(f"{n} {escape(kind)}" for kind, n in sorted(skipped.items())),
                  highlight=False)


def _engine(engine: str, workers: Optional[int], address: Optional[str], parquet: Optional[str],
            max_memory: Optional[int]) -> tuple:
    """The extractor for ``pipeline.ingest`` (None: the local one) and the
    Ray connection to hold while it runs; one line and exit 2 for options
    that do not go together, and for Ray missing."""
    if engine not in ("local", "ray"):
        _fail(AccordError(f"--engine must be local or ray, not {engine!r}"))
    if engine == "local":
        given = [name for name, value in (("--workers", workers), ("--address", address), ("--parquet", parquet))
                 if value is not None]
        if given:
            _fail(AccordError(f"{', '.join(given)}: only with --engine ray"))
        return None, None
    if max_memory is not None:
        _fail(AccordError("--max-memory caps this process, and Ray's processes cannot run under the cap: leave it "
                          "out with --engine ray"))
    from .run.ray_engine import RayEngine, check_address, cluster, import_ray
    try:
        import_ray()
        if address is not None:
            check_address(address)
        return RayEngine(workers, address, parquet), cluster(workers, address)
    except AccordError as error:
        _fail(error)


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive), http(s) URLs or - for standard input."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object per article (JSON Lines)."),
    allow_private: bool = typer.Option(False, "--allow-private", help=ALLOW_PRIVATE_HELP),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help=MAX_BYTES_HELP),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help=TIME_LIMIT_HELP),
    max_memory: Optional[int] = typer.Option(None, "--max-memory", help=MAX_MEMORY_HELP),
) -> None:
    """Print the record of each article (not stored): files, folders, URLs or -."""
    from ._limits import capped_memory
    from .models import Failure
    from .pipeline import extract_paths

    failed = 0
    settings = _settings(None, allow_private=allow_private, **_limits(max_bytes, time_limit, max_memory))
    skipped: Counter = Counter()
    try:
        with capped_memory(settings.max_memory):
            for item in extract_paths(paths, settings, skipped=skipped):
                if isinstance(item, Failure):
                    failed += 1
                    err.print(f"[red]failed[/red] {escape(item.source)}: {escape(item.reason)}", highlight=False)
                    continue
                for note in item.notes:
                    err.print(f"[yellow]partly coded[/yellow] {escape(item.source)}: {escape(note)}", highlight=False)
                if json_out:
                    _jsonl([item.as_dict()])
                else:
                    _print_article(item)
    except AccordError as error:
        _fail(error)
    _passed_over(skipped)
    raise typer.Exit(1 if failed else 0)


def _print_article(a) -> None:
    out.rule(Text(printable(a.title or a.source or a.id)))
    meta = DataTable.grid(padding=(0, 2))
    for label, value in (("source", a.source), ("published", a.published or "unknown"), ("outlet", a.outlet or "—"),
                         ("credit", a.credit or "—"),
                         ("dateline", f"{a.dateline.name} ({a.dateline.country})" if a.dateline else "—"),
                         ("language", a.language or "—"), ("id", a.id)):
        meta.add_row(Text(label, style="bold"), str(value))
    out.print(meta)
    if a.people:
        out.print("[bold]people:[/bold] " + "; ".join(
            escape(f"{p.name} ({p.country or '?'}, {p.role or '?'}{', historical' if p.historical else ''})")
            for p in a.people))
    table = DataTable("type", "mode", "source", "target", "date", "place", "level", "evidence", show_lines=False)
    for e in a.events:
        table.add_row(e.type, e.mode, ", ".join(f"{x.name} [{x.country}]" for x in e.source),
                      ", ".join(f"{x.name} [{x.country}]" for x in e.target), e.date or "—",
                      e.place.name if e.place else "—", e.relation_level or "", e.evidence[0].text[:90])
    out.print(table)
    if a.commitments:
        ctable = DataTable("sector", "parties", "commitment")
        for c in a.commitments:
            ctable.add_row(c.sector, ",".join(c.parties), c.text[:110])
        out.print(ctable)


@app.command()
def articles(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    country: Optional[str] = typer.Option(None, "--country", help="Only articles with an event of this country."),
    since: Optional[str] = typer.Option(None, "--since", help="Published from this day: " + SINCE_FORMS),
    until: Optional[str] = typer.Option(None, "--until", help="Published up to this day: " + UNTIL_FORMS),
    limit: Optional[int] = typer.Option(None, "--limit", help=LIMIT_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """The stored articles, in the order they were first seen."""
    _limit(limit)
    rows = _query(db, json_out, lambda store: store.articles(country=country, since=since, until=until, limit=limit))
    if rows is None:
        return
    if not rows:
        return _none("articles")
    table = DataTable(title="articles")
    table.add_column("id", no_wrap=True, min_width=12)
    table.add_column("title", ratio=3)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("credit · outlet", ratio=2)
    table.add_column("dateline", ratio=1)
    table.add_column("events", justify="right", no_wrap=True)
    table.add_column("copy of", no_wrap=True)
    table.add_column("from", ratio=2, overflow="fold")
    for r in rows:
        where = r["url"] or r["path"] or r["source"] or ""
        said = " · ".join(dict.fromkeys(x for x in (r["credit"], r["outlet"]) if x)) or "—"
        table.add_row(_short(r["id"]), r["title"] or Path(where).name or where,
                      day(r["published"], r["published_precision"]), said,
                      r["dateline"]["name"] if r["dateline"] else "—", str(r["events"]),
                      _short(r["copy_of"]) if r["copy_of"] else "", where)
    out.print(table)


def _short(article_id: str | None) -> str:
    """An article id as people read it: the first 12 hex digits."""
    return (article_id or "").removeprefix("sha256:")[:12]


@app.command()
def events(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    country: Optional[str] = typer.Option(None, "--country", help=COUNTRY_HELP),
    since: Optional[str] = typer.Option(None, "--since", help=SINCE_HELP),
    until: Optional[str] = typer.Option(None, "--until", help=UNTIL_HELP),
    type: Optional[str] = typer.Option(None, "--type", help=TYPE_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", help=LIMIT_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """The stored events, oldest first."""
    _limit(limit)
    rows = _query(db, json_out, lambda store: store.events(country=country, since=since, until=until, type=type,
                                                           limit=limit))
    if rows is None:
        return
    if not rows:
        return _none("events")
    table = DataTable(title="events")
    for name in ("date", "type", "mode"):
        table.add_column(name, no_wrap=True)
    for name in ("source", "target"):
        table.add_column(name, min_width=12, max_width=22)
    table.add_column("place", max_width=12, no_wrap=True, overflow="ellipsis")
    table.add_column("level", min_width=11, max_width=16)
    table.add_column("evidence", no_wrap=True, max_width=EVIDENCE_WIDTH - 4)
    for r in rows:
        table.add_row(day(r["date"], r["date_precision"]), r["type"], r["mode"], _actors(r["source"]),
                      _actors(r["target"]), r["place"]["name"] if r["place"] else "—", r["relation_level"] or "",
                      clip(r["evidence"][0]["text"], EVIDENCE_WIDTH - 4) if r["evidence"] else "")
    out.print(table)


EVIDENCE_WIDTH = 30


@app.command()
def stories(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    country: Optional[str] = typer.Option(None, "--country", help=COUNTRY_HELP),
    since: Optional[str] = typer.Option(None, "--since", help=SINCE_HELP),
    until: Optional[str] = typer.Option(None, "--until", help=UNTIL_HELP),
    type: Optional[str] = typer.Option(None, "--type", help=TYPE_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", help=LIMIT_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Happenings reported by one or more articles, with their sources."""
    _limit(limit)
    rows = _query(db, json_out, lambda store: store.stories(country=country, type=type, since=since, until=until,
                                                            limit=limit))
    if rows is None:
        return
    if not rows:
        return _none("stories")
    table = DataTable(title="stories")
    for name in ("id", "date", "type", "mode", "countries"):
        table.add_column(name, no_wrap=True)
    table.add_column("level", min_width=11, max_width=16)
    table.add_column("articles", justify="right", min_width=8)
    table.add_column("sources", min_width=12, max_width=18)
    table.add_column("evidence", no_wrap=True, max_width=EVIDENCE_WIDTH)
    for r in rows:
        table.add_row(str(r["id"]), day(r["date"]), r["type"], r["mode"], "–".join(r["countries"]), r["relation_level"] or "",
                      str(r["article_count"]), ", ".join(r["sources"]),
                      clip(r["evidence"][0]["text"], EVIDENCE_WIDTH) if r["evidence"] else "")
    out.print(table)


@app.command()
def relation(
    a: str = typer.Argument(..., help="A country: ISO alpha-3, alpha-2 or name."),
    b: str = typer.Argument(..., help="The other country."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """The record of two countries: level now and its history, timeline,
    events by quad class per month, commitments by sector, sources."""
    x, y = _country(a), _country(b)
    if x == y:
        _fail(AccordError(f"a relation needs two different countries, not {x} twice"))
    rec = _query(db, json_out, lambda store: [store.relation(x, y)])
    if rec is None:
        return
    rec = rec[0]
    from .nlp.gazetteer import gazetteer
    names = gazetteer().countries
    out.rule(f"{names[x].name} ({x}) – {names[y].name} ({y})")
    out.print(f"[bold]level:[/bold] {escape(rec['level'] or 'no level recorded')}"
              + (f" since {escape(rec['since'])}" if rec["since"] else ""), highlight=False)
    if len(rec["levels"]) > 1:
        out.print("[bold]history:[/bold] " + " → ".join(
            escape(f"{lv['level']} ({lv['since'] or 'undated'})") for lv in rec["levels"]), highlight=False)
    if not rec["timeline"]:
        out.print("no stories of this pair", highlight=False)
    else:
        table = DataTable("date", "type", "mode", "level", "articles", "sources", title="timeline")
        for s in rec["timeline"]:
            table.add_row(day(s["date"]), s["type"], s["mode"], s["relation_level"] or "", str(s["article_count"]),
                          ", ".join(s["sources"]))
        out.print(table)
    if rec["quad_counts"]:
        qtable = DataTable("month", "verbal coop.", "material coop.", "verbal conflict", "material conflict",
                       title="events by quad class")
        for q in rec["quad_counts"]:
            qtable.add_row(q["month"], *(str(q[k]) for k in ("verbal cooperation", "material cooperation",
                                                             "verbal conflict", "material conflict")))
        out.print(qtable)
    if rec["commitments"]:
        ctable = DataTable(title="commitments by sector")
        ctable.add_column("sector", no_wrap=True)
        ctable.add_column("n", justify="right", min_width=2)
        ctable.add_column("sources", no_wrap=True)
        ctable.add_column("for example", no_wrap=True, max_width=48)
        for sector, items in rec["commitments"].items():
            ctable.add_row(sector, str(len(items)), ", ".join(sorted({i["source"] for i in items})),
                           clip(items[0]["text"], 48))
        out.print(ctable)
    out.print(f"[bold]sources:[/bold] {escape(', '.join(rec['sources']) or '—')}", highlight=False)


@app.command()
def commitments(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    country: Optional[str] = typer.Option(None, "--country", help="Only commitments this country is a party to."),
    sector: Optional[str] = typer.Option(None, "--sector", help="One sector, e.g. energy or 'economy and trade'."),
    limit: Optional[int] = typer.Option(None, "--limit", help=LIMIT_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """What the parties committed to, sector by sector, with the sentence."""
    _limit(limit)
    rows = _query(db, json_out, lambda store: store.commitments(country=country, sector=sector, limit=limit))
    if rows is None:
        return
    if not rows:
        return _none("commitments")
    table = DataTable("sector", "parties", "source", title="commitments")
    table.add_column("commitment", no_wrap=True, max_width=60)
    for r in rows:
        table.add_row(r["sector"], ",".join(r["parties"]), r["source_name"] or "", clip(r["text"], 60))
    out.print(table)


@app.command()
def failures(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    stage: Optional[str] = typer.Option(None, "--stage", help="Only this stage: read, clean, code or store."),
    limit: Optional[int] = typer.Option(None, "--limit", help=LIMIT_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """What was dropped, by stage and reason, newest first."""
    if stage is not None and stage not in STAGES:
        _fail(AccordError(f"stage {stage!r} is unknown: one of {', '.join(STAGES)}"))
    _limit(limit)
    counts: list[dict] = []

    def fetch(store):
        counts.extend(store.failure_counts(stage=stage))
        return store.failures(stage=stage, limit=limit)

    rows = _query(db, json_out, fetch)
    if rows is None:
        return
    if not rows:
        return _none("failures")
    summary = DataTable("stage", "reason", "documents", title="failures by stage and reason")
    for c in counts:
        summary.add_row(c["stage"], c["reason"], str(c["documents"]))
    out.print(summary)
    table = DataTable("when", "stage", "document", "reason", title="failures")
    for r in rows:
        table.add_row(str(r["at"])[:19], r["stage"], r["source"], clip(r["reason"], 90))
    out.print(table)


STAGES = ("read", "clean", "code", "store")


@app.command()
def export(
    table: str = typer.Argument(..., help="events, stories or commitments."),
    format: str = typer.Option("jsonl", "--format", "-f", help="csv, parquet, jsonl or plover (events only)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="File to write; - or none: standard output "
                                                                        "(not for parquet)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    country: Optional[str] = typer.Option(None, "--country", help=COUNTRY_HELP),
    since: Optional[str] = typer.Option(None, "--since", help=SINCE_HELP + " Not for commitments."),
    until: Optional[str] = typer.Option(None, "--until", help=UNTIL_HELP + " Not for commitments."),
    type: Optional[str] = typer.Option(None, "--type", help=TYPE_HELP + " Not for commitments."),
    sector: Optional[str] = typer.Option(None, "--sector", help="Commitments of this sector only."),
) -> None:
    """Write events, stories or commitments as CSV, Parquet, JSON Lines or PLOVER."""
    from . import export as exporter
    try:
        exporter.check(table, format, output)
        _not_a_database(output, db)
        if table == "commitments" and (since or until or type):
            raise AccordError("commitments take --country and --sector, not --since, --until or --type")
        if table != "commitments" and sector:
            raise AccordError("--sector is for commitments only")
        store = _store(db)
        if table == "events":
            rows = store.events(country=country, since=since, until=until, type=type)
        elif table == "stories":
            rows = store.stories(country=country, since=since, until=until, type=type)
        else:
            rows = store.commitments(country=country, sector=sector)
        n = exporter.write(table, format, rows, output)
    except AccordError as error:
        _fail(error)
    if output not in (None, "-"):
        err.print(f"{n} {table} written to {escape(output)} ({format})", highlight=False)


def _not_a_database(output: Optional[str], db: Optional[str]) -> None:
    """Refuse an export file that is the store itself, one of its journal
    files, or any other SQLite database: writing over it would destroy it."""
    if output in (None, "-"):
        return
    target = Path(output)
    from sqlalchemy.engine import make_url
    try:
        store = make_url(db_url(db)).database if db_url(db).startswith("sqlite") else None
    except Exception:  # an unreadable URL is refused when the store is opened
        store = None
    if store and target.resolve() in {Path(store + suffix).resolve() for suffix in ("", "-wal", "-shm", "-journal")}:
        raise AccordError(f"--output {output} is the database being exported: give another file")
    try:
        with target.open("rb") as f:
            database = f.read(16) == b"SQLite format 3\x00"
    except OSError:
        database = False
    if database:
        raise AccordError(f"--output {output} is a SQLite database: accord does not write an export over one")


@app.command()
def serve(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Default: loopback only."),
    port: int = typer.Option(8000, "--port", help="Port to listen on (1-65535)."),
) -> None:
    """Serve the JSON API (/api, described at /docs) and the pages on http://HOST:PORT.
    Read-only unless ACCORD_WRITE_TOKEN is set (then POST /api/documents takes it as a bearer token)."""
    import ipaddress

    if not 1 <= port <= 65535:
        _fail(AccordError(f"--port must be 1 to 65535, not {port}"))
    if not host.strip() or any(ch.isspace() or ch in "/?#@" for ch in host):
        _fail(AccordError(f"--host {host!r} is not an address: give an IP address or a host name, e.g. 127.0.0.1"))
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        err.print(f"[yellow]warning:[/yellow] serving on {escape(host)}, not loopback: anyone who can reach this machine "
                  "can read the record" + (" and, with the token, write to it" if _write_token() else ""),
                  highlight=False)
    _free(host.strip("[]"), port)
    import uvicorn

    from .api import create_app
    try:
        web_app = create_app(_settings(db))
    except AccordError as error:
        _fail(error)
    uvicorn.run(web_app, host=host.strip("[]"), port=port, log_level="info", server_header=False)


def _free(host: str, port: int) -> None:
    """One line and exit 2, before the app is built, when ``host:port``
    cannot be listened on (taken by another server, an address not of this
    machine)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as error:
        _fail(AccordError(f"--host {host} cannot be listened on: {error.strerror or error}"))
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a port in TIME_WAIT is free
        try:
            probe.bind(address)
        except OSError as error:
            _fail(AccordError(f"cannot listen on {host}:{port}: {error.strerror or error}"
                              + (" (another server has it: give another --port)" if error.errno == 98 else "")))


def _write_token() -> bool:
    import os
    return bool(os.environ.get("ACCORD_WRITE_TOKEN"))


CODER_HELP = "What decides event types: both (lexicon and learned model), lexicon or model (for ablation)."


MAX_FOLDS = 100  # more folds than this leaves each a handful of sentences: a leave-one-out, not a check


def _folds(cv: Optional[int]) -> None:
    if cv is not None and not 2 <= cv <= MAX_FOLDS:
        _fail(AccordError(f"--cv needs 2 to {MAX_FOLDS} folds, not {cv}"))


def _coder(value: str) -> str:
    if value not in ("both", "lexicon", "model"):
        _fail(AccordError(f"--coder must be both, lexicon or model, not {value!r}"))
    return value


@eval_app.command("plover")
def eval_plover(
    file: str = typer.Argument(..., help="PLOVER gold records (JSON list)."),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="Baseline file of floors to check against."),
    update: bool = typer.Option(False, "--update-baseline", help="Write today's figures as the new floors."),
    allow_lower: bool = typer.Option(False, "--allow-lower", help="Let --update-baseline lower a floor."),
    coder: str = typer.Option("both", "--coder", help=CODER_HELP),
    cv: Optional[int] = typer.Option(None, "--cv", help="Cross-validate in K folds: the type model is trained on "
                                                           "accord's corpus plus the other folds' records."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Score the coder on PLOVER gold sentences: type accuracy, actor codes, misses."""
    from .eval import plover
    from .eval.gate import check
    _existing(file, "file")
    _existing(baseline, "file", may_be_missing=update)
    _baseline(baseline)
    coder = _coder(coder)
    _folds(cv)
    if cv:
        report = _checked_gold(lambda path: plover.cross_validate(path, cv, coder=coder), file)
    else:
        report = _checked_gold(lambda path: plover.evaluate(path, coder=coder), file)
    _report(report, json_out, plover.print_report)
    name = "plover" + (f"_cv{cv}" if cv else "") + ("" if coder == "both" else f"_{coder}")
    raise typer.Exit(_checked(check, report, name, baseline, update, allow_lower, err))


@eval_app.command("articles")
def eval_articles(
    folder: str = typer.Argument(..., help="Folder of article files."),
    gold: str = typer.Argument(..., help="Gold records, JSON Lines."),
    baseline: Optional[str] = typer.Option(None, "--baseline"),
    update: bool = typer.Option(False, "--update-baseline"),
    allow_lower: bool = typer.Option(False, "--allow-lower"),
    coder: str = typer.Option("both", "--coder", help=CODER_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Score the coder on real articles: event keys, dates, levels, article facts."""
    from .eval import articles as art
    from .eval.gate import check
    _existing(folder, "folder")
    _existing(gold, "file")
    _existing(baseline, "file", may_be_missing=update)
    _baseline(baseline)
    coder = _coder(coder)
    report = _checked_gold(lambda f, g: art.evaluate(f, g, coder=coder), folder, gold)
    _report(report, json_out, art.print_report)
    name = "articles" + ("" if coder == "both" else f"_{coder}")
    raise typer.Exit(_checked(check, report, name, baseline, update, allow_lower, err))


@eval_app.command("corpus")
def eval_corpus(
    cv: int = typer.Option(5, "--cv", help="Folds: the model is trained on the others, the coder scored on each."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Cross-validate the coder on accord's training corpus (text the lexicon and, fold by fold, the model never
    saw): lexicon, model and both."""
    from .eval import corpus
    _folds(cv)
    report = corpus.cross_validate(cv)
    if json_out:
        _jsonl([report])
        return
    table = DataTable("coder", "event sentences", "type accuracy", "actor F1", "actor recall", "NONE with an event",
                  title=f"accord's corpus, {cv}-fold cross-validation")
    for coder, r in report["coders"].items():
        table.add_row(coder, str(r["records"]), f"{r['type_accuracy']:.3f}", f"{r['actor_f1']:.3f}",
                      f"{r['actor_recall']:.3f}", f"{r['none_false_alarm_rate']:.3f} of {r['none_sentences']}")
    out.print(table)


@app.command()
def train(
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Where to write the model. Default: the "
                                                                        "package's data/type_model.json."),
    corpus: Optional[str] = typer.Option(None, "--corpus", help="Folder of training .jsonl files. Default: the "
                                                                  "package's data/training/."),
    cv: Optional[int] = typer.Option(None, "--cv", help="Also report K-fold cross-validated accuracy on the corpus."),
) -> None:
    """Rebuild the learned event-type model from accord's training corpus (deterministic)."""
    import time

    from .code import model as tm
    _folds(cv)
    if corpus is not None:
        _existing(corpus, "folder")
    target = Path(output) if output else tm.default_path()
    if target.is_dir() or not target.parent.is_dir():
        _fail(AccordError(f"cannot write the model to {output}: "
                          + ("it is a folder" if target.is_dir() else f"no such folder {target.parent}")))
    started = time.perf_counter()
    try:
        examples = tm.corpus_examples(Path(corpus) if corpus else None)
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
        _fail(AccordError(f"{corpus} holds a line that is not a training sentence ({type(error).__name__}: "
                          f"{error}): each line is a JSON object with text, trigger and type"))
    if not examples:
        _fail(AccordError(f"no training sentences in {corpus or 'data/training/'}"))
    feats = tm.featurize(examples)
    X, y = tm.usable(examples, feats)
    model = tm.fit(X, y)
    try:
        tm.save(model, target)
    except OSError as error:
        _fail(AccordError(f"cannot write the model to {target}: {error.strerror or error}"))
    err.print(f"{len(X)} of {len(examples)} sentences, {len(model.classes)} classes, {len(model.weights)} features "
              f"→ {escape(target)} ({target.stat().st_size // 1024} KiB, {time.perf_counter() - started:.1f} s)",
              highlight=False)
    if cv:
        accuracy = tm.cross_validate(X, y, cv)
        out.print(f"{cv}-fold cross-validated accuracy on the corpus: {accuracy:.3f}", highlight=False)


def _checked_gold(evaluate, *paths):
    """A scorer's report, or one line and exit 2 for gold data it cannot read."""
    try:
        return evaluate(*paths)
    except AccordError as error:
        _fail(error)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        _fail(AccordError(f"{paths[-1]} is not gold data accord can read ({type(error).__name__}: {error}); "
                          "see ../shared/data/ARTICLES.md for the format"))


def _baseline(path: Optional[str]) -> None:
    """One line and exit 2, before any scoring, for a baseline file that is not one."""
    from .eval.gate import read_floors
    if path is not None:
        _checked(read_floors, Path(path))


def _existing(path: Optional[str], kind: str, *, may_be_missing: bool = False) -> None:
    """One line and exit 2 for a path that is not the file or folder expected."""
    if path is None:
        return
    p = Path(path)
    if not p.exists():
        if not may_be_missing:
            _fail(AccordError(f"no such {kind}: {path}"))
    elif (kind == "folder") != p.is_dir():
        _fail(AccordError(f"{path} is not a {kind}"))


def _report(report, json_out: bool, printer) -> None:
    if json_out:
        _jsonl([report])
    else:
        printer(report, out)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
