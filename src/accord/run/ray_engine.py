"""Cleaning and coding on a Ray cluster.

The driver reads, and notes a document it already holds as seen again, as a
local run does.  Ray Data maps the batches a local run would make over a pool
of actors, each loading spaCy, the lexicons, the gazetteer and the type model
once; every document becomes one Parquet row (its article as JSON, or its
failure); the driver reads the rows back in input order, and
``pipeline.ingest`` stores and resolves them as it does for a local run.
Because the batches are the local run's, the lines an outlet repeats on three
or more pages of a batch are boilerplate in both.

Ray is optional: ``pip install 'accord[ray]'``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import socket
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, replace

from .._errors import AccordError
from ..models import Article, Failure, RawDocument
from ..pipeline import article_record, extract, extract_documents, is_sighting
from ..resolve.duplicates import signature, to_bytes
from ..settings import Settings

INSTALL_HINT = "the Ray engine needs Ray: pip install 'accord[ray]'"
LOOPBACK = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"  # "0": Ray's node and workers use 127.0.0.1
ADDRESS_HELP = "give ray://HOST:PORT (Ray Client, port 10001 by default), HOST:PORT (the head node, 6379) or auto"

Item = RawDocument | Failure
Batch = list[tuple[int, Item]]


def import_ray():
    """Ray with Ray Data, or an error that says how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise AccordError(INSTALL_HINT) from None
    return ray


def check_address(address: str) -> None:
    """An error, before any work, for an address that is no Ray address or
    where nothing answers (Ray itself would retry for a minute)."""
    if address == "auto":
        return
    host, colon, port = address.removeprefix("ray://").rpartition(":")
    host = host.strip("[]")
    if (not colon or not host or not port.isdigit() or not 0 < int(port) < 65536
            or any(c in host for c in "/@?# ") or "://" in address.removeprefix("ray://")):
        raise AccordError(f"--address {address!r} is not a Ray address: {ADDRESS_HELP}")
    if address.startswith("ray://") and importlib.util.find_spec("grpc") is None:
        raise AccordError("a ray:// address needs Ray Client: pip install 'accord[ray]' (it brings "
                          "'ray[client]==2.60.0'); or give the head node's HOST:6379, or run accord on the head node "
                          "with --address auto")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as err:
        raise AccordError(f"no Ray cluster answers at {address}: {err.strerror or err}") from None


MAX_WORKERS = 4096  # actors one driver feeds; past this the database writer is the bottleneck many times over


@contextmanager
def cluster(workers: int | None = None, address: str | None = None) -> Iterator[None]:
    """Ray, connected for the block: to the cluster at ``address``, else to
    one of ``workers`` CPUs (default: all of this machine's) started here,
    listening on 127.0.0.1 only, and stopped after.  A connection already
    open is used as it is."""
    if address is not None:
        check_address(address)
    ray = import_ray()
    if ray.is_initialized():
        yield
        return
    quiet = {"logging_level": logging.WARNING, "log_to_driver": False}
    with _loopback() if address is None else nullcontext():
        try:
            if address is None:
                ray.init(address="local", num_cpus=workers or os.cpu_count(), include_dashboard=False, **quiet)
            else:
                ray.init(address=address, **quiet)
        except Exception as err:  # Ray raises plain Exception when its node does not come up
            where = f"reach Ray at {address}" if address else "start Ray"
            raise AccordError(f"cannot {where}: {_line(err, 0)}") from err
        try:
            yield
        finally:
            ray.shutdown()


@contextmanager
def _loopback() -> Iterator[None]:
    """A node that listens on 127.0.0.1 only: Ray's switch for it, for this
    process (which read it when it imported Ray) and the ones Ray starts;
    without Ray's notice that a new cluster has token authentication on."""
    from ray._private import ray_constants

    saved = os.environ.get(LOOPBACK), ray_constants.ENABLE_RAY_CLUSTER
    notice = logging.getLogger("ray._private.authentication.authentication_token_setup")
    level = notice.level
    os.environ[LOOPBACK] = "0"
    ray_constants.ENABLE_RAY_CLUSTER = False
    notice.setLevel(logging.ERROR)
    try:
        yield
    finally:
        if saved[0] is None:
            os.environ.pop(LOOPBACK, None)
        else:
            os.environ[LOOPBACK] = saved[0]
        ray_constants.ENABLE_RAY_CLUSTER = saved[1]
        notice.setLevel(level)


def _line(error: Exception, which: int) -> str:
    """One line of an error's message (Ray's run to many, with tracebacks)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[which] if lines else type(error).__name__


def plan(docs: Iterable[Item], batch_size: int) -> tuple[list[Batch], list[tuple[int, RawDocument]]]:
    """The batches a local run would clean and code, and the documents it
    would only note as seen again because an earlier batch holds their text;
    all numbered in input order.  A read failure takes its place in a batch,
    as it does there."""
    batches: list[Batch] = []
    later: list[tuple[int, RawDocument]] = []
    earlier: set[str] = set()
    current: Batch = []
    for seq, doc in enumerate(docs):
        if is_sighting(doc, earlier.__contains__):
            later.append((seq, doc))
            continue
        current.append((seq, doc))
        if len(current) >= batch_size:
            batches.append(current)
            earlier.update(d.id for _, d in current if isinstance(d, RawDocument))
            current = []
    if current:
        batches.append(current)
    return batches, later


def _json(data: dict) -> str:
    """JSON as it reads; escaped where the text holds what UTF-8 cannot."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data)
    return text


def _schema():
    import pyarrow as pa
    return pa.schema([("seq", pa.int64()), ("id", pa.string()), ("source", pa.string()), ("status", pa.string()),
                      ("stage", pa.string()), ("reason", pa.string()), ("record", pa.string()),
                      ("minhash", pa.binary())])


def _row(seq: int, item: Article | Failure) -> dict:
    """One document's Parquet row: its article (``pipeline.article_record``)
    or its failure as JSON in ``record``, with the columns one looks at,
    and an article's near-duplicate signature, made here on the worker
    rather than on the driver, which stores every article."""
    plain = (item.source or "").encode("utf-8", "replace").decode("utf-8")
    if isinstance(item, Failure):
        return {"seq": seq, "id": item.id, "source": plain, "status": "failure", "stage": item.stage,
                "reason": item.reason, "record": _json(asdict(item)), "minhash": None}
    return {"seq": seq, "id": item.id, "source": plain, "status": "article", "stage": None, "reason": None,
            "record": _json(article_record(item)), "minhash": to_bytes(signature(item.text))}


def _item(row: dict) -> Article | Failure:
    data = json.loads(row["record"])
    return Failure(**data) if row["status"] == "failure" else Article.from_dict(data)


class Coder:
    """One per Ray actor: what the stages load, loaded once; each call cleans
    and codes whole batches (one per input row), as ``extract_documents``
    does locally."""

    def __init__(self, settings: Settings) -> None:
        # One article through every stage loads the model, the gazetteer, the type model and the lexicons.
        extract("Vietnam and Azerbaijan signed an agreement in Baku on 7 May 2025.", settings)
        self.settings = settings

    def __call__(self, rows: dict) -> object:
        import pyarrow as pa
        out: list[dict] = []
        for batch in rows["batch"]:
            items = [(u["seq"], RawDocument(**u["document"]) if "document" in u else Failure(**u["failure"]))
                     for u in json.loads(batch)]
            done = extract_documents([item for _, item in items], self.settings)
            out.extend(_row(seq, result) for (seq, _), result in zip(items, done, strict=True))
        return pa.Table.from_pylist(out, schema=_schema())


class RayEngine:
    """Clean and code on Ray (an ``extractor`` for ``pipeline.ingest``).

    ``workers``: the size of the actor pool (default: the cluster's CPUs);
    ``address``: the cluster (default: one started here for the run);
    ``parquet``: a new or empty folder where the workers write the rows, to
    keep (on a cluster of several machines, one they and this machine share:
    NFS, ``s3://...``); by default the rows come back to this machine and
    are written to a temporary folder.  ``timings`` has the seconds of the
    last run: ``read`` (here), ``parallel`` (clean and code on Ray, Parquet
    written), ``load`` (Parquet read back).  ``signatures`` has the
    near-duplicate signatures the workers made of the last run's articles,
    by id, for the store (``Store.add_articles``)."""

    def __init__(self, workers: int | None = None, address: str | None = None, parquet: str | None = None) -> None:
        if workers is not None and not 1 <= workers <= MAX_WORKERS:
            raise AccordError(f"--workers must be 1 to {MAX_WORKERS}, not {workers}")
        self.workers, self.address, self.parquet = workers, address, parquet
        if parquet:
            _check_empty(parquet)
        self.timings: dict[str, float] = {}
        self.signatures: dict[str, bytes] = {}

    def __call__(self, docs: Iterable[Item], settings: Settings) -> Iterator[Article | Failure | RawDocument]:
        started = time.perf_counter()
        batches, later = plan(docs, settings.batch_size)
        self.timings = {"read": time.perf_counter() - started, "parallel": 0.0, "load": 0.0}
        if not batches:
            return iter([doc for _, doc in later])
        with cluster(self.workers, self.address), tempfile.TemporaryDirectory(prefix="accord-ray-") as scratch:
            folder = self.parquet or scratch
            if self.parquet:
                _check_empty(self.parquet)
            started = time.perf_counter()
            try:
                self._run(batches, settings, folder)
            except AccordError:
                raise
            except Exception as err:
                raise AccordError(f"Ray could not clean and code the documents: {_line(err, -1)}") from err
            self.timings["parallel"] = time.perf_counter() - started
            started = time.perf_counter()
            rows = _read(folder)
        expected = [seq for batch in batches for seq, _ in batch]
        if [row["seq"] for row in rows] != expected:
            raise AccordError(f"{folder} holds {len(rows)} rows for the {len(expected)} documents sent to Ray: on "
                              "a cluster of several machines, --parquet must be a folder they and this machine share")
        self.signatures = {row["id"]: row["minhash"] for row in rows if row["minhash"]}
        merged = sorted([(row["seq"], _item(row)) for row in rows] + later, key=lambda pair: pair[0])
        self.timings["load"] = time.perf_counter() - started
        return iter([item for _, item in merged])

    def _run(self, batches: list[Batch], settings: Settings, folder: str) -> None:
        with warnings.catch_warnings():
            # Ray Data 2.60 warns of its own settings, and has no named parameter for max_restarts yet.  Without
            # it, a document that gets its worker killed (out of memory) is retried for ever; with it, the run
            # fails, as it would here.
            warnings.simplefilter("ignore", DeprecationWarning)
            import pyarrow as pa
            import pyarrow.parquet as pq
            import ray
            import ray.data

            context = ray.data.DataContext.get_current()
            context.enable_progress_bars = False
            context.print_on_execution_start = False
            logging.getLogger("ray.data").setLevel(logging.ERROR)
            cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
            workers = self.workers or cpus
            units = [{"batch": json.dumps([{"seq": seq, "document" if isinstance(item, RawDocument) else "failure":
                                            asdict(item)} for seq, item in batch])} for batch in batches]
            coded = ray.data.from_items(units, override_num_blocks=len(units)).map_batches(
                Coder, batch_size=1, num_cpus=1, max_restarts=0,
                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=workers, initial_size=min(workers, cpus),
                                                   max_tasks_in_flight_per_actor=1),  # a batch to the first free
                fn_constructor_kwargs={"settings": replace(settings, db="sqlite://")})  # no database credentials
            if self.parquet:
                coded.write_parquet(folder, ray_remote_args={"num_cpus": 0})
            else:
                tables = [ray.get(ref) for ref in coded.to_arrow_refs()]
                pq.write_table(pa.concat_tables(tables).cast(_schema()), os.path.join(folder, "documents.parquet"))


def _filesystem(folder: str):
    import pyarrow.fs as fs
    if "://" in folder:
        return fs.FileSystem.from_uri(folder)
    return fs.LocalFileSystem(), os.path.abspath(folder)


def _check_empty(folder: str) -> None:
    """Rows of an earlier run must not be read back as this one's."""
    import pyarrow.fs as fs
    try:
        filesystem, path = _filesystem(folder)
        info = filesystem.get_file_info(path)
        used = info.type == fs.FileType.File or (info.type == fs.FileType.Directory and bool(
            filesystem.get_file_info(fs.FileSelector(path, allow_not_found=True))))
    except (OSError, ValueError) as err:
        raise AccordError(f"--parquet {folder} cannot be used: {_line(err, 0)}") from None
    if used:
        raise AccordError(f"--parquet {folder} is not a new or empty folder")


def _read(folder: str) -> list[dict]:
    import pyarrow.parquet as pq
    filesystem, path = _filesystem(folder)
    table = pq.read_table(path, filesystem=filesystem, schema=_schema())
    return table.sort_by("seq").to_pylist()
