"""A corpus of hostile and broken inputs for ``accord ingest``.

``build(folder, seeds)`` writes one file per hostile kind into ``folder``,
next to copies of the good seed articles, and returns the manifest: a
``Case`` per file saying what a correct run does with it.

* ``expect="stored"``: a correct article results (its ``marker`` is in the
  stored text; its ``language``, when given, is the stored language);
* ``expect="refused"``: a failure is recorded that names the file, with a
  stage and a reason;
* ``expect="either"``: both are acceptable, but if an article is stored its
  ``marker`` must be in its text.

A file that holds many records (JSON Lines, WARC) also lists its
``records``, each with its own expectation, and ``good``: how many of them
are good articles that must be stored.  Its own ``expect`` says whether a
failure must name the file (some record of it, or the file itself).

Every sentence here was written for these tests; the only text taken from
elsewhere is the seed articles' own, which the corpus copies and, for the
single line of many megabytes, repeats.
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

STORED, REFUSED, EITHER = "stored", "refused", "either"


class _Marked:
    """The phrases a stored article must hold: ``marker`` is one or several."""

    @property
    def markers(self) -> tuple[str, ...]:
        return (self.marker,) if isinstance(self.marker, str) else tuple(self.marker or ())


@dataclass(frozen=True)
class Record(_Marked):
    """One record of a multi-record file: its failure or article carries
    ``source`` (``file.jsonl:LINE`` or ``file.warc.gz#URL``)."""

    source: str
    expect: str
    marker: str | tuple[str, ...] | None = None
    not_values: tuple[tuple[str, str], ...] = ()  # (column, value) the stored row must not hold
    note: str = ""


@dataclass(frozen=True)
class Case(_Marked):
    name: str
    kind: str
    path: Path
    expect: str
    good: int = 0
    records: tuple[Record, ...] = ()
    marker: str | tuple[str, ...] | None = None
    language: str | None = None
    note: str = ""


# --- articles written for these tests -----------------------------------------------------

@dataclass(frozen=True)
class _Visit:
    a: str  # the host country
    b: str  # the visiting country
    city: str  # where they met (in a)
    cap_b: str  # b's capital
    day: str
    topic: str
    topic2: str
    topic3: str
    trade: int


_VISITS = {
    "cp1252": _Visit("Chile", "New Zealand", "Santiago", "Wellington", "Monday", "renewable hydrogen",
                     "fisheries science", "Antarctic research", 840),
    "mixed": _Visit("Portugal", "Cape Verde", "Lisbon", "Praia", "Tuesday", "maritime surveillance",
                    "teacher training", "port modernisation", 310),
    "escape": _Visit("Norway", "Indonesia", "Oslo", "Jakarta", "Wednesday", "tropical forest protection",
                     "offshore wind", "shipping safety", 1270),
    "nul": _Visit("Ghana", "Canada", "Accra", "Ottawa", "Thursday", "critical minerals",
                  "public health", "vocational training", 690),
    "bidi": _Visit("Jordan", "Japan", "Amman", "Tokyo", "Friday", "water desalination",
                   "refugee education", "archaeological heritage", 455),
    "utf16": _Visit("Kenya", "South Korea", "Nairobi", "Seoul", "Saturday", "digital payments",
                    "rail transport", "textile exports", 380),
    "meta": _Visit("Peru", "Australia", "Lima", "Canberra", "Sunday", "mining safety",
                   "earthquake preparedness", "university exchanges", 920),
    "nested": _Visit("Morocco", "Estonia", "Rabat", "Tallinn", "Monday", "e-government services",
                     "cyber defence", "olive oil exports", 120),
    "nested2": _Visit("Tunisia", "Slovenia", "Tunis", "Ljubljana", "Tuesday", "olive research",
                      "port logistics", "wine exports", 140),
    "cut_utf8": _Visit("Bolivia", "Germany", "La Paz", "Berlin", "Thursday", "lithium batteries",
                       "dual vocational training", "rainforest research", 530),
    "jsonl_nul_1": _Visit("Zambia", "Singapore", "Lusaka", "Singapore", "Friday", "copper refining",
                          "urban planning", "water utilities", 410),
    "jsonl_nul_2": _Visit("Paraguay", "Taiwan", "Asuncion", "Taipei", "Saturday", "beef exports",
                          "semiconductor training", "hospital equipment", 150),
    "malformed": _Visit("Vietnam", "Poland", "Hanoi", "Warsaw", "Tuesday", "coal phase-out",
                        "coffee exports", "defence procurement", 2400),
    "warc_good": _Visit("Mexico", "India", "Mexico City", "New Delhi", "Wednesday", "generic medicines",
                        "space technology", "film co-production", 11200),
    "warc_cut_good": _Visit("Egypt", "Greece", "Cairo", "Athens", "Thursday", "gas interconnection",
                            "migration management", "tourism promotion", 3300),
    "warc_cut_rest": _Visit("Argentina", "Vietnam", "Buenos Aires", "Hanoi", "Friday", "soybean exports",
                            "lithium processing", "football academies", 4100),
    "warc_plain": _Visit("Ireland", "Brazil", "Dublin", "Brasilia", "Saturday", "agricultural research",
                         "aviation leasing", "language teaching", 2900),
    "jsonl_1": _Visit("Senegal", "Turkey", "Dakar", "Ankara", "Monday", "airport construction",
                      "textile investment", "religious tourism", 780),
    "jsonl_2": _Visit("Thailand", "Bangladesh", "Bangkok", "Dhaka", "Tuesday", "rice trade",
                      "coastal shipping", "disaster relief", 1500),
    "jsonl_3": _Visit("Colombia", "Spain", "Bogota", "Madrid", "Wednesday", "coffee research",
                      "police cooperation", "film festivals", 3900),
    "jsonl_4": _Visit("Uzbekistan", "Malaysia", "Tashkent", "Kuala Lumpur", "Thursday", "halal food",
                      "cotton processing", "Islamic finance", 260),
    "jsonl_5": _Visit("Finland", "Namibia", "Helsinki", "Windhoek", "Friday", "green hydrogen",
                      "forest management", "school meals", 95),
    "jsonl_6": _Visit("Nepal", "Switzerland", "Kathmandu", "Bern", "Saturday", "hydropower",
                      "glacier monitoring", "mountain tourism", 70),
    "jsonl_7": _Visit("Ecuador", "South Africa", "Quito", "Pretoria", "Sunday", "banana exports",
                      "wine trade", "wildlife protection", 210),
    "jsonl_8": _Visit("Austria", "Mongolia", "Vienna", "Ulaanbaatar", "Monday", "cashmere trade",
                      "mountain rescue", "music education", 48),
    "jsonl_9": _Visit("Sweden", "Rwanda", "Stockholm", "Kigali", "Tuesday", "clean cooking",
                      "gender equality", "medical drones", 60),
    "name": _Visit("Hungary", "Laos", "Budapest", "Vientiane", "Wednesday", "water management",
                   "veterinary training", "hot spring tourism", 33),
}


def visit_paragraphs(v: _Visit) -> list[str]:
    """Six paragraphs of a short wire story about a visit between two countries."""
    return [
        f"{v.city.upper()} — The foreign ministers of {v.a} and {v.b} met in {v.city} on {v.day} and agreed to open "
        f"talks on a new trade and investment agreement, officials from both governments said.",
        f"{v.a}'s foreign minister told reporters after the meeting that the two countries would set up a joint "
        f"working group on {v.topic} before the end of the year.",
        f"The visiting minister from {v.b} said her government wanted closer cooperation in {v.topic2}, and she "
        f"invited her counterpart to visit {v.cap_b} next spring.",
        f"The two sides also signed a memorandum of understanding on {v.topic3}, according to a joint statement "
        f"released by the foreign ministry of {v.a}.",
        f"Trade between {v.a} and {v.b} reached about {v.trade} million dollars last year, a figure both ministers "
        f"described as far below its potential.",
        f"Analysts said the meeting showed that {v.a} was looking for new partners beyond its traditional allies, "
        f"while {v.b} hoped to widen its presence in the region.",
    ]


def visit_title(v: _Visit) -> str:
    return f"{v.a} and {v.b} agree to open trade talks"


def visit_marker(v: _Visit) -> str:
    return f"working group on {v.topic}"


def visit_text(v: _Visit) -> str:
    return visit_title(v) + "\n\n" + "\n\n".join(visit_paragraphs(v)) + "\n"


def visit_html(v: _Visit, *, inner_wrap=lambda body: body, head: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in visit_paragraphs(v))
    article = f"<article><h1>{visit_title(v)}</h1>\n{body}\n</article>"
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">{head}<title>{visit_title(v)}</title></head>\n"
            f"<body>{inner_wrap(article)}</body></html>\n")


SPANISH = """Marruecos y España firman un acuerdo sobre migración y energía

MADRID — El ministro de Asuntos Exteriores de España recibió este martes en Madrid a su homólogo de Marruecos, en la primera visita oficial de un jefe de la diplomacia marroquí a la capital española en dos años.

Ambos ministros firmaron un acuerdo de cooperación en materia de migración y energía renovable, según un comunicado conjunto publicado al final de la reunión.

El ministro español afirmó que las relaciones entre los dos países viven un momento excelente y anunció una cumbre bilateral para el próximo otoño en Rabat.

Su homólogo marroquí agradeció la acogida y dijo que Marruecos desea ampliar el comercio con España y con el resto de la Unión Europea.

Durante la visita, las dos delegaciones también hablaron de la seguridad en el Mediterráneo y de la lucha contra el tráfico de personas.
"""
SPANISH_MARKER = "cooperación en materia de migración"

RUSSIAN = """Казахстан и Монголия договорились об упрощении визового режима

АСТАНА — Министр иностранных дел Казахстана провёл в понедельник переговоры со своим коллегой из Монголии, который находится в стране с официальным визитом.

Стороны обсудили расширение торговли, новые транспортные коридоры и сотрудничество в области образования, сообщили в министерстве.

По итогам встречи министры подписали соглашение об упрощении визового режима для студентов и учёных.

Гость пригласил казахстанского коллегу посетить Улан-Батор в следующем году, и приглашение было принято.

Товарооборот между двумя странами в прошлом году вырос почти на треть, отметили участники переговоров.
"""
RUSSIAN_MARKER = "упрощении визового режима для студентов"

ARABIC = """الأردن وتونس يوقعان مذكرة تفاهم في التعليم العالي

عمّان — استقبل وزير الخارجية الأردني يوم الأحد نظيره التونسي في زيارة رسمية تستمر يومين.

وبحث الوزيران سبل تعزيز التعاون الاقتصادي والتجاري بين البلدين، إضافة إلى التطورات في المنطقة.

ووقّع الجانبان مذكرة تفاهم في مجال التعليم العالي والبحث العلمي، بحسب بيان مشترك صدر في ختام المحادثات.

وقال الوزير الأردني إن العلاقات بين البلدين متينة، وإن هناك فرصاً كبيرة لزيادة حجم التبادل التجاري.

ودعا الوزير التونسي نظيره إلى زيارة تونس قريباً لمتابعة ما تم الاتفاق عليه.
"""
ARABIC_MARKER = "مذكرة تفاهم في مجال التعليم العالي"

CHINESE = """中国与智利外长会谈 同意扩大贸易合作

北京——中国外交部长周二在北京会见了到访的智利外交部长，双方就扩大贸易与投资合作深入交换了意见。

两国外长表示，愿意在新能源、农业和教育等领域进一步加强合作，推动两国关系不断向前发展。

会谈结束后，双方签署了关于文化交流和学生互访的合作文件。

智利外长邀请中方外长明年访问圣地亚哥，中方表示感谢，并愿意与智方保持密切沟通。
"""
CHINESE_MARKER = "签署了关于文化交流和学生互访的合作文件"


# --- WARC ---------------------------------------------------------------------------------

def warc_record(url: str, body: bytes, content_type: str = "text/html; charset=utf-8", n: int = 0) -> bytes:
    """One WARC response record, as tests/test_warc.py builds them."""
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() +
            b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {url}\r\nWARC-Date: 2024-06-12T09:00:00Z\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n" % (n or len(url))
        + "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def write_bomb_warc(path: Path, good_url: str, good_html: bytes, inflated: int) -> None:
    """A .warc.gz whose first record inflates to ``inflated`` bytes of zeros
    from a few tens of kilobytes, then a good HTML record (each record a gzip
    member of its own).  Written a megabyte at a time: the bomb is never held
    in memory here."""
    http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % inflated
    warc_head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/bomb\r\n"
                 "WARC-Date: 2024-06-12T09:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
                 "Content-Type: application/http; msgtype=response\r\n"
                 f"Content-Length: {len(http_head) + inflated}\r\n\r\n").encode()
    chunk = b"\0" * 1_000_000
    with gzip.open(path, "wb", compresslevel=9) as bomb:
        bomb.write(warc_head + http_head)
        left = inflated
        while left > 0:
            bomb.write(chunk[:min(left, len(chunk))])
            left -= len(chunk)
        bomb.write(b"\r\n\r\n")
    with open(path, "ab") as tail:
        tail.write(gzip.compress(warc_record(good_url, good_html, n=2)))


# --- the corpus ---------------------------------------------------------------------------

def _sentences(text: str) -> list[str]:
    """The prose sentences of a seed article (lines long enough to be prose)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if len(line) < 80:
            continue
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.strip()) > 30]
    return out


def big_line(seed_text: str, size: int) -> bytes:
    """``size`` bytes (or a few more) of the seed's sentences on one line."""
    sentences = _sentences(seed_text)
    assert sentences, "the seed holds no prose sentence"
    unit = (" ".join(sentences) + " ").encode("utf-8")
    data = unit * (size // len(unit) + 1)
    return data[:size].rsplit(b" ", 1)[0] + b"."


def build(folder: Path, seeds: Path, *, big_line_mb: int = 10, cap: int | None = None) -> list[Case]:
    """Write the hostile corpus into ``folder`` and return its manifest.

    ``cap`` is the per-document size cap the run will use (default:
    ``Settings.max_bytes``); the file over the cap is written sparse, so it
    costs no disk, and the gzip bomb inflates to twice the cap."""
    from accord.settings import Settings

    cap = cap or Settings().max_bytes
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(20250508)
    cases: list[Case] = []

    def add(name: str, kind: str, data: bytes | str, expect: str, **kw) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(name, kind, path, expect, **kw))
        return path

    # The good seed articles.
    seed_files = sorted(Path(seeds).glob("*.txt"))
    assert len(seed_files) >= 2, f"expected the seed articles in {seeds}"
    for seed in seed_files:
        shutil.copyfile(seed, folder / f"seed_{seed.name}")
        first = next(s for s in _sentences(seed.read_text(encoding="utf-8")))
        cases.append(Case(f"seed_{seed.name}", "good seed article", folder / f"seed_{seed.name}", STORED,
                          marker=first[:60], language="en"))

    # Empty and blank.
    add("empty.txt", "empty file", b"", REFUSED)
    add("blank.txt", "whitespace only", b" \n\t\r\n  \n" * 50, REFUSED)
    add("empty.html", "empty HTML file", b"", REFUSED)

    # Binary.
    add("random_bytes.txt", "binary: random bytes", rnd.randbytes(65536), REFUSED)
    add("elf_header.txt", "binary: an ELF executable header",
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + rnd.randbytes(4000), REFUSED)
    add("png_image.html", "binary: a PNG image named .html",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
        + rnd.randbytes(8000), REFUSED)
    # High bytes and printable ASCII, no NUL and no control byte: not caught as
    # binary by its bytes; any 8-bit encoding 'decodes' it.
    noise = bytes(rnd.choice(range(0x21, 0x7f)) if rnd.random() < 0.5 else rnd.choice(range(0xa0, 0x100))
                  for _ in range(20000))
    add("high_byte_noise.txt", "binary: random high bytes without NUL or controls", noise, REFUSED)

    # Over the size cap: sparse, so the run refuses it by its size and the
    # disk holds only its first line.
    over = folder / "over_cap.txt"
    with open(over, "wb") as f:
        f.write(b"Ministers met to discuss trade. " * 4 + b"\n")
        f.truncate(cap + 1)
    cases.append(Case("over_cap.txt", f"over the size cap ({cap} bytes + 1)", over, REFUSED))

    # One line of big_line_mb MB of English prose (the seed's own sentences).
    seed_text = seed_files[0].read_text(encoding="utf-8")
    add("big_line.txt", f"a single line of {big_line_mb} MB", big_line(seed_text, big_line_mb * 1_000_000), EITHER,
        marker=_sentences(seed_text)[0][:60],
        note="a correct result is the article, or a clear refusal (too long a line)")

    # HTML: deeply nested, malformed, garbage.
    depth = 100_000
    add("nested_divs.html", f"deeply nested HTML ({depth} <div>s)",
        visit_html(_VISITS["nested"], inner_wrap=lambda art: "<div>" * depth + art + "</div>" * depth),
        EITHER, marker=visit_marker(_VISITS["nested"]))
    add("nested_unclosed.html", f"deeply nested unclosed tags ({depth} <span><b><i>)",
        visit_html(_VISITS["nested2"], inner_wrap=lambda art: art.replace(
            "<p>The two sides", "<p>" + "<span><b><i>" * (depth // 3) + "The two sides", 1)),
        EITHER, marker=("The foreign ministers of Tunisia and Slovenia", "memorandum of understanding on wine exports",
                        "widen its presence in the region"),
        note="the paragraphs inside the deep nesting belong to the article as much as those before it")
    v = _VISITS["malformed"]
    paras = visit_paragraphs(v)
    def malformed(table: bool) -> str:
        return (
            "<html><head><title>" + visit_title(v) + "</title><meta charset=utf-8 <script>var x = '</scr' + 'ipt>';\n"
            "</head><body class=main><div>" + ("<table><tr><td>" if table else "<span>") + "\n"
            "<h1>" + visit_title(v) + "</h2>\n"
            f"<p>{paras[0]}\n"
            f"<p><b><i>{paras[1]}</b></i>\n"
            f"<p><a href=/x?a=1&b=2 title=a\"b>{paras[2]}</a></p></p></p>\n"
            f"<div><<p>>{paras[3]}</div></span></td></tr>\n"
            f"<p>{paras[4]}<![CDATA[ ]]> &nbsp &amp; &#xZZ; &#99999999;\n"
            f"<p>{paras[5]}\n"
            "</table></div></div></div></body></html></html><p>trailing <b>after the end\n"
            "<!-- a comment that never closes"
        )

    add("malformed.html", "malformed HTML (unclosed and misnested tags, bad entities, an open comment)",
        malformed(False), EITHER, marker=visit_marker(v))
    add("malformed_table.html", "malformed HTML, the article in a table cell closed out of order",
        malformed(True), EITHER, marker=visit_marker(v))
    add("garbage.html", "garbage HTML without text",
        "<<<>>></></><div <p <<a href=>>" + "".join(rnd.choice("<>/=\"' ") for _ in range(5000)) + "<!-->", REFUSED)
    add("scripts_only.html", "HTML with scripts and styles only",
        "<html><head><style>" + "p{color:red}" * 200 + "</style></head><body><script>"
        + "var a = 1;\n" * 500 + "</script></body></html>", REFUSED)

    # Encodings.
    v = _VISITS["cp1252"]
    cp = visit_text(v).replace("The visiting minister from", "José Ramírez, the visiting minister from")
    cp = cp.replace("about 840 million dollars", "about €840 million").replace(
        "described as far below its potential", "described as “far below its potential” – an ‘opportunity’")
    add("cp1252.txt", "cp1252 text (curly quotes, €, accents)", cp.encode("cp1252"), STORED,
        marker="José Ramírez, the visiting minister", language="en")
    v = _VISITS["mixed"]
    ps = visit_paragraphs(v)
    mixed = (visit_title(v).encode() + b"\n\n"
             + "\n\n".join(ps[:2]).replace("'s foreign minister told", "'s foreign minister, João Gonçalves, told").encode("utf-8")
             + b"\n\n" + ps[2].replace("visiting minister", "visiting minister, Inês Tavares,").encode("cp1252")
             + b"\n\n" + "\n\n".join(ps[3:]).encode("utf-8") + b"\n")
    add("mixed_encoding.txt", "mixed encodings (UTF-8 and cp1252 paragraphs in one file)", mixed, EITHER,
        marker=(visit_marker(v), "— The foreign ministers", "João Gonçalves", "Inês Tavares"),
        note="a correct result decodes each part in its own encoding; text decoded wrongly is no correct result")
    v = _VISITS["utf16"]
    add("utf16_bom.txt", "UTF-16 with a BOM", codecs.BOM_UTF16_LE + visit_text(v).encode("utf-16-le"), STORED,
        marker=visit_marker(v), language="en")
    v = _VISITS["meta"]
    add("wrong_meta_charset.html", "HTML declaring windows-1251 but written in UTF-8",
        visit_html(v, head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
        .replace("The visiting minister", "Señora Peña, the visiting minister"), STORED,
        marker="Señora Peña, the visiting minister")
    add("truncated_utf8.txt", "UTF-8 cut inside a character",
        (visit_text(_VISITS["cut_utf8"]) + "Perú").encode("utf-8")[:-1], EITHER,
        marker=visit_marker(_VISITS["cut_utf8"]))

    # Other languages and scripts.
    add("spanish.txt", "Spanish article", SPANISH, STORED, marker=SPANISH_MARKER, language="es")
    add("russian.txt", "Russian article (Cyrillic)", RUSSIAN, STORED, marker=RUSSIAN_MARKER, language="ru")
    add("russian_cp1251.txt", "Russian article in cp1251", RUSSIAN.replace("понедельник", "четверг").encode("cp1251"),
        STORED, marker=RUSSIAN_MARKER, language="ru")
    add("arabic.txt", "Arabic article (right-to-left)", ARABIC, STORED, marker=ARABIC_MARKER, language="ar")
    add("chinese.txt", "Chinese article (Han, no spaces)", CHINESE, STORED, marker=CHINESE_MARKER, language="zh")

    # Control characters and bidi overrides inside otherwise good articles.
    v = _VISITS["escape"]
    ps = visit_paragraphs(v)
    ps[1] = ps[1].replace("told reporters", "told \x1b[31mreporters\x1b[0m").replace(
        "joint ", "joint \x1b]0;pwned\x07")
    ps[3] = ps[3] + " \x1b[2J\x1b[H\x08\x08\x7f"
    ps[4] = "\x0b" + ps[4] + "\x0c"
    add("control_escape.txt", "control characters (ESC sequences, BEL, BS, DEL, VT, FF)",
        visit_title(v) + "\n\n" + "\n\n".join(ps) + "\n", STORED, marker="reporters", language="en")
    v = _VISITS["nul"]
    ps = visit_paragraphs(v)
    ps[2] = ps[2].replace("cooperation", "coop\x00eration")
    add("control_nul.txt", "a NUL byte inside an article", visit_title(v) + "\n\n" + "\n\n".join(ps) + "\n", EITHER,
        marker=visit_marker(v), note="refused as binary, or stored with the NUL dropped")
    v = _VISITS["bidi"]
    ps = visit_paragraphs(v)
    ps[0] = ps[0].replace("Jordan", "\u202eJordan\u202c", 1)
    ps[1] = ps[1].replace("working group", "working \u2066group\u2069 \u200f\u202d(\u202a)", 1)
    ps[4] = "\u202e" + ps[4] + "\u2067\u2068\u200e\ufeff"
    add("bidi.txt", "bidi overrides and isolates (U+202E, U+2066..2069, U+200F)",
        visit_title(v) + "\n\n" + "\n\n".join(ps) + "\n", STORED, marker="water desalination", language="en")

    # WARC: a gzip bomb next to a good record; truncated archives; not a WARC.
    v = _VISITS["warc_good"]
    bomb = folder / "bomb.warc.gz"
    good_url = "https://example.org/mexico-india"
    write_bomb_warc(bomb, good_url, visit_html(v).encode(), inflated=2 * cap + 1_000_000)
    cases.append(Case("bomb.warc.gz", f"gzip bomb record ({bomb.stat().st_size // 1000} kB inflating to "
                                      f"{(2 * cap + 1_000_000) // 1_000_000} MB) next to a good HTML record",
                      bomb, REFUSED, good=1, records=(
                          Record(f"{bomb}#https://example.org/bomb", REFUSED),
                          Record(f"{bomb}#{good_url}", STORED, marker=visit_marker(v)))))

    v, rest = _VISITS["warc_cut_good"], _VISITS["warc_cut_rest"]
    url1, url2 = "https://example.org/egypt-greece", "https://example.org/argentina-vietnam"
    second = gzip.compress(warc_record(url2, visit_html(rest).encode(), n=2))
    data = gzip.compress(warc_record(url1, visit_html(v).encode(), n=1)) + second[:len(second) // 2]
    cut = add("truncated.warc.gz", "truncated .warc.gz (a good record, then one cut mid-record)", data, REFUSED,
              good=1)
    cases[-1] = Case(cut.name, cases[-1].kind, cut, REFUSED, good=1, records=(
        Record(f"{cut}#{url1}", STORED, marker=visit_marker(v)),
        Record(f"{cut}#{url2}", REFUSED, note="cut mid-record: half an article is no correct result")))

    v = _VISITS["warc_plain"]
    url3 = "https://example.org/ireland-brazil"
    rec2 = warc_record("https://example.org/cut", visit_html(_VISITS["warc_cut_rest"]).encode().replace(
        b"Argentina", b"Uruguay"), n=4)
    plain = warc_record(url3, visit_html(v).encode(), n=3) + rec2[:len(rec2) * 2 // 3]
    cut2 = add("truncated_plain.warc", "truncated uncompressed .warc (a good record, then one cut)", plain, REFUSED,
               good=1)
    cases[-1] = Case(cut2.name, cases[-1].kind, cut2, REFUSED, good=1, records=(
        Record(f"{cut2}#{url3}", STORED, marker=visit_marker(v)),
        Record(f"{cut2}#https://example.org/cut", REFUSED, note="cut mid-record: half an article is no correct result")))
    add("not_a_warc.warc.gz", "a gzip file that is no WARC", gzip.compress(b"Just some text.\n" * 100), REFUSED)
    add("cut_gzip_header.warc.gz", "a .warc.gz cut inside its gzip header",
        gzip.compress(warc_record(url1, visit_html(v).encode()))[:7], REFUSED)

    # JSON Lines with broken lines and wrong types.
    jl = folder / "records.jsonl"
    lines: list[tuple[str, str, str | None, tuple]] = []  # (line, expect, marker, not_values)

    def good_record(key: str, **extra) -> tuple[dict, str]:
        v = _VISITS[key]
        return {"text": visit_text(v), **extra}, visit_marker(v)

    rec, m = good_record("jsonl_1", url="https://example.org/senegal-turkey", outlet="Example Wire")
    lines.append((json.dumps(rec), STORED, m, ()))
    rec, m = good_record("jsonl_2")
    lines.append((json.dumps(rec)[:150], REFUSED, None, ()))  # cut mid-record, not the last line
    lines.append((json.dumps({"text": 12345, "url": "https://example.org/number"}), REFUSED, None, ()))
    rec, m = good_record("jsonl_2", published="2025-05-08T09:44:00+07:00")
    lines.append((json.dumps(rec), STORED, m, ()))
    lines.append((json.dumps({"text": None, "title": "A null text"}), REFUSED, None, ()))
    rec, m = good_record("jsonl_3", published=["2025-05-08"])
    lines.append((json.dumps(rec), EITHER, m, (("published", "['2025-05-08']"),)))
    lines.append(("[1, 2, 3]", REFUSED, None, ()))
    lines.append(('"a bare string"', REFUSED, None, ()))
    lines.append(("null", REFUSED, None, ()))
    rec, m = good_record("jsonl_4", title=["Ministers", "meet"], outlet={"name": "Example"})
    lines.append((json.dumps(rec), EITHER, m, (("title", "['Ministers', 'meet']"),
                                                ("outlet", "{'name': 'Example'}"))))
    rec, m = good_record("jsonl_5", html=5)
    lines.append((json.dumps(rec), EITHER, m, ()))
    lines.append((json.dumps({"text": ""}), REFUSED, None, ()))
    lines.append(("{'text': 'single quotes are not JSON'}", REFUSED, None, ()))
    rec, m = good_record("jsonl_6")
    lines.append((json.dumps(rec).replace("Nepal", "Nepal \\ud800", 1), EITHER, m, ()))  # a lone surrogate
    lines.append(("[" * 100_000 + "]" * 100_000, REFUSED, None, ()))  # nesting deeper than any parser's stack
    lines.append(('{"text": ' + "7" * 5000 + "}", REFUSED, None, ()))  # more digits than int() takes
    rec, m = good_record("jsonl_7", published=None, title=None)
    lines.append((json.dumps(rec), STORED, m, ()))
    rec, m = good_record("jsonl_8")
    lines.append((json.dumps(rec, ensure_ascii=False) + "\x00", EITHER, m, ()))  # a NUL after the record
    rec, m = good_record("jsonl_9")
    lines.append((json.dumps(rec)[:-40], REFUSED, None, ()))  # the last line stops mid-record
    jl.write_text("\n".join(line for line, *_ in lines[:-1]) + "\n\n" + lines[-1][0], encoding="utf-8")
    # Line numbers: one per entry, with a blank line before the last.
    numbers = list(range(1, len(lines))) + [len(lines) + 1]
    records = tuple(Record(f"{jl}:{n}", expect, marker, not_values)
                    for n, (_, expect, marker, not_values) in zip(numbers, lines))
    cases.append(Case(jl.name, "JSON Lines: broken lines, wrong types, good lines", jl, REFUSED,
                      good=sum(r.expect == STORED for r in records), records=records))

    # A NUL inside one record of a JSON Lines file, near its start: that
    # record is broken, the good records around it are not.
    jn = folder / "nul_record.jsonl"
    r1, m1 = good_record("jsonl_nul_1")
    r2, m2 = good_record("jsonl_nul_2")
    jn.write_bytes(json.dumps(r1).encode() + b"\n" + b'{"text": "A broken \x00 record"}\n' + json.dumps(r2).encode()
                   + b"\n")
    cases.append(Case(jn.name, "JSON Lines with a NUL byte in one record", jn, REFUSED, good=2, records=(
        Record(f"{jn}:1", STORED, m1), Record(f"{jn}:2", REFUSED), Record(f"{jn}:3", STORED, m2))))

    return cases


def undecodable_name(folder: Path) -> Case:
    """A good article in a file whose name is not UTF-8 (a byte 0xff): Python
    sees a lone surrogate in the path, which no UTF-8 database column takes."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    path = Path(os.fsdecode(os.fsencode(str(folder)) + b"/bad_\xff_name.txt"))
    v = _VISITS["name"]
    path.write_bytes(visit_text(v).encode("utf-8"))
    return Case(path.name, "a file name that is not UTF-8", path, EITHER, marker=visit_marker(v))
