"""Exporting the record: every table in every format it supports, read back."""

import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SEEDS

import accord
from accord import export
from accord.code.lexicon import QUAD_CODE

SUPPORTED = [(table, fmt) for table in export.TABLES for fmt in export.FORMATS
             if fmt != "plover" or table == "events"]
TRICKY = 'He said, "we agree"; then\nthey signed,\r\nand left.'


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> dict[str, list[dict]]:
    """The seeds ingested once for the module: the rows of every table."""
    store = accord.open(f"sqlite:///{tmp_path_factory.mktemp('export') / 'accord.db'}")
    try:
        accord.ingest([str(SEEDS)], store)
        return {"events": store.events(), "stories": store.stories(), "commitments": store.commitments()}
    finally:
        store.close()


def read_back(fmt: str, path) -> list:
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.mark.parametrize("table,fmt", SUPPORTED)
def test_every_format_writes_every_row(rows, tmp_path, table, fmt):
    expected = export.write(table, "jsonl", rows[table], str(tmp_path / "all.jsonl"))
    assert expected == len(rows[table]) > 0
    path = tmp_path / f"{table}.{fmt}"
    assert export.write(table, fmt, rows[table], str(path)) == expected
    assert len(read_back(fmt, path)) == expected


def test_jsonl_is_the_store_rows(rows, tmp_path):
    path = tmp_path / "events.jsonl"
    export.write("events", "jsonl", rows["events"], str(path))
    assert read_back("jsonl", path) == json.loads(json.dumps(rows["events"], default=str))


def test_columns_are_documented():
    for table in export.TABLES:
        names = [name for name, _ in export.columns(table)]
        assert len(names) == len(set(names)) and all(description for _, description in export.columns(table))
        assert set(export.TYPES[table]) == set(names)
    assert {"date_end", "date_source", "url"} <= {name for name, _ in export.COLUMNS["events"]}


@pytest.mark.parametrize("table", export.TABLES)
def test_parquet_schema_has_the_documented_columns(rows, tmp_path, table):
    path = tmp_path / f"{table}.parquet"
    export.write(table, "parquet", rows[table], str(path))
    schema = pq.read_schema(path)
    assert schema.names == [name for name, _ in export.COLUMNS[table]]
    assert pa.types.is_integer(schema.field("id").type)
    for name, _ in export.COLUMNS[table]:
        kind = export.TYPES[table][name]
        assert pa.types.is_list(schema.field(name).type) == kind.startswith("list")
        assert pa.types.is_boolean(schema.field(name).type) == (kind == "bool")


def test_parquet_keeps_types(rows, tmp_path):
    path = tmp_path / "events.parquet"
    export.write("events", "parquet", rows["events"], str(path))
    first = pq.read_table(path).to_pylist()[0]
    event = rows["events"][0]
    assert first["countries"] == event["countries"]
    assert first["evidence_text"] == [e["text"] for e in event["evidence"]]
    assert first["negated"] is event["negated"]
    assert first["source_names"] == [a["name"] for a in event["source"]]


def test_plover_records(rows, tmp_path):
    path = tmp_path / "events.plover.jsonl"
    assert export.write("events", "plover", rows["events"], str(path)) == len(rows["events"])
    records = read_back("plover", path)
    assert len(records) == len(rows["events"])
    for record in records:
        assert {"id", "date", "actor", "event"} <= set(record)
        assert isinstance(record["event"], list) and record["event"]
        assert all(kind in QUAD_CODE for kind in record["event"])
        assert record["quad_code"] in (1, 2, 3, 4)
        assert isinstance(record["actor"], list)
        assert all("entity_text" in entity for entity in record["actor"] + record.get("recipient", []))
        assert record["coder"] == f"accord {accord.__version__}"
    assert len({r["id"] for r in records}) == len(records)
    for record, event in zip(records, rows["events"]):
        # The event's own day, else its article's day of publication, else null.
        assert record["date"] == (event["date"] or (event["published"] or "")[:10] or None)
    first, event = records[0], rows["events"][0]
    assert first["id"] == f"accord-{event['article_id'].split(':')[-1][:12]}-{event['seq']}"
    assert first["event_text"] == [e["text"] for e in event["evidence"]]
    if event["place"]:
        assert first["event_loc"]["extracted_place"] == event["place"]["name"]


def test_plover_ids_are_stable(rows):
    assert [export.to_plover(r)["id"] for r in rows["events"]] == [export.to_plover(r)["id"] for r in rows["events"]]


def test_csv_round_trips_evidence(rows, tmp_path):
    first = rows["events"][0]
    tricky = dict(first, evidence=[dict(first["evidence"][0], text=TRICKY)])
    path = tmp_path / "events.csv"
    export.write("events", "csv", [first, tricky], str(path))
    back = read_back("csv", path)
    assert back[0]["evidence_text"] == first["evidence"][0]["text"]
    assert back[1]["evidence_text"] == TRICKY
    assert back[0]["countries"] == ";".join(first["countries"])
    assert back[0]["negated"] in ("true", "false")


def test_plover_is_for_events_only(rows, tmp_path):
    for table in ("stories", "commitments"):
        with pytest.raises(accord.AccordError, match="plover"):
            export.write(table, "plover", rows[table], str(tmp_path / "x.jsonl"))
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("output", [None, "-"])
def test_parquet_needs_a_path(rows, output):
    with pytest.raises(accord.AccordError, match="--output PATH"):
        export.write("events", "parquet", rows["events"], output)


def test_unknown_table_or_format():
    with pytest.raises(accord.AccordError, match="expected one of"):
        export.write("actors", "csv", [], None)
    with pytest.raises(accord.AccordError, match="expected one of"):
        export.write("events", "xlsx", [], None)


def test_unwritable_path(tmp_path):
    with pytest.raises(accord.AccordError, match="cannot write"):
        export.write("events", "csv", [], str(tmp_path / "missing" / "events.csv"))


@pytest.mark.parametrize("table", export.TABLES)
def test_empty_export_keeps_the_columns(tmp_path, table):
    names = [name for name, _ in export.COLUMNS[table]]
    assert export.write(table, "parquet", [], str(tmp_path / "empty.parquet")) == 0
    empty = pq.read_table(tmp_path / "empty.parquet")
    assert empty.num_rows == 0 and empty.schema.names == names
    assert export.write(table, "csv", iter([]), str(tmp_path / "empty.csv")) == 0
    with open(tmp_path / "empty.csv", encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [names]


def test_text_formats_go_to_stdout(rows, capsys):
    assert export.write("commitments", "jsonl", rows["commitments"][:2], "-") == 2
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [c["id"] for c in rows["commitments"][:2]]
    assert export.write("stories", "csv", rows["stories"], None) == len(rows["stories"])
    assert capsys.readouterr().out.startswith("id,type,")


def test_flatten_leaves_missing_keys_empty():
    flat = export.flatten("events", {"id": 1, "type": "AGREE", "date_end": "2025-05-09", "url": "https://x.vn/a"})
    assert list(flat) == [name for name, _ in export.COLUMNS["events"]]
    assert flat["date_end"] == "2025-05-09" and flat["url"] == "https://x.vn/a" and flat["quad_code"] == 1
    assert flat["place_name"] is None and flat["source_names"] == [] and flat["negated"] is False
    assert export.to_plover({"article_id": "sha256:abc", "seq": 0, "type": "AGREE"})["id"] == "accord-abc-0"
