"""Turn bytes into text: encodings are detected, not assumed.

UTF-8 (and text with a BOM) is decoded directly. Anything else is decoded in
every legacy encoding that accepts the bytes (a fixed list of the common ones
plus charset-normalizer's own candidates), and the most plausible text wins.
Plausibility is judged on the non-ASCII part of the text, which is what the
encodings disagree about:

* characters text does not contain: C0/C1 controls, private use, unassigned;
* symbols inside words ("Za¿ó³æ", "v½u") and rare symbols (¤ ¦ ¼ ...);
* words mixing scripts ("tr鋊", Latin next to Hangul or Cyrillic);
* words switching from lower to upper case ("нЙОЙУФТ": KOI8-R read as cp1251);
* for Latin script, accented letters that no single language uses together
  (Czech read as cp1252 gives è ì ø ù), or that make up most of the letters
  (Greek or Cyrillic read as cp1252);
* for Cyrillic and Greek, letters whose frequencies are far from the
  language's (the unigram cross-entropy), and mostly capital letters;
* for Han, kana and Hangul, too few of the script's most frequent characters
  (a Korean text read as GB2312 is a soup of uncommon hanzi);
* hanzi separated by spaces, half-width katakana, CJK characters that only
  the extended sets (GBK, UHC) hold, kanji outside JIS next to kana;
* plus a small prior per encoding, so that near ties go to the common one.

A two-byte encoding is not considered when no two high bytes are adjacent: a
mostly ASCII file with a few accented letters is not Chinese.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from functools import lru_cache

from charset_normalizer import from_bytes

from .._errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters that never occur in text (tab, newlines and form feed do).
_CONTROL = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls > max(2, len(head) // 100)


def decode(data: bytes, source: str) -> str:
    """Decode ``data``; raise ``InputError`` for empty, binary, truncated or
    undecodable input."""
    if not data.strip():
        raise InputError(source, "empty: the document holds no text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise InputError(source, f"undecodable: declares {encoding} by its BOM but {err.reason} at byte {err.start}") from None
    if looks_binary(data):
        raise InputError(source, "binary: this is not a text or HTML document (NUL or control bytes); pass .txt, .html, .jsonl or .warc files")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            raise InputError(source, f"truncated: the file ends inside a UTF-8 character at byte {err.start}; fetch or copy it again") from None
        utf8_error = err
    mixed = _mixed(data)
    if mixed is not None:
        return mixed
    encoding = detect_legacy(data)
    if encoding is None:
        raise InputError(
            source,
            f"undecodable: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no other encoding fits; convert it to UTF-8",
        )
    return data.decode(encoding)


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _mixed(data: bytes) -> str | None:
    """A file of UTF-8 lines with some lines in a legacy encoding (a
    paragraph pasted from elsewhere), each line decoded as what it is; None
    when no line proves UTF-8 by a character of more than one byte."""
    lines = data.split(b"\n")
    valid = [_utf8(line) for line in lines]
    if not any(ok and _HIGH.search(line) for ok, line in zip(valid, lines)):
        return None
    encoding = detect_legacy(b"\n".join(line for ok, line in zip(valid, lines) if not ok))
    if encoding is None:
        return None
    return "\n".join(line.decode("utf-8") if ok else line.decode(encoding, "replace") for ok, line in zip(valid, lines))


# --- legacy encodings ---------------------------------------------------------------------

# The encodings tried besides charset-normalizer's candidates, with a prior cost:
# the rarer the encoding in the wild, the more it costs. Costs of real
# implausibilities are whole numbers, so the priors only break near ties.
_LEGACY = {
    "cp1252": 0.0,
    "iso8859_15": 0.2,
    "iso8859_1": 0.3,
    "cp1250": 0.3,
    "iso8859_2": 0.5,
    "cp1251": 0.2,
    "koi8_r": 0.3,
    "koi8_u": 0.5,
    "iso8859_5": 0.8,
    "cp866": 0.8,
    "cp1253": 0.3,
    "iso8859_7": 0.4,
    "cp1254": 0.5,
    "cp1257": 0.7,
    "cp932": 0.2,
    "euc_jp": 0.3,
    "gb18030": 0.2,
    "big5": 0.4,
    "cp949": 0.2,
    "cp1255": 0.6,
    "cp1256": 0.6,
    "cp874": 0.8,
}
_OTHER_PRIOR = 1.5  # an encoding only charset-normalizer proposed
_SAMPLE = 8192  # bytes of the file that are scored
_PLAUSIBLE = 1.0  # above this cost per non-ASCII character, text is implausible

_HIGH_PAIR = re.compile(rb"[\x80-\xff]{2}")
_HIGH = re.compile(rb"[\x80-\xff]")


def detect_legacy(data: bytes) -> str | None:
    """The name of the legacy encoding that decodes ``data`` (not UTF-8) into
    the most plausible text, or None when no encoding gives plausible text."""
    sample = _sample(data)
    isolated = _HIGH_PAIR.search(data) is None
    names = dict(_LEGACY)
    matches = from_bytes(data)
    for match in matches:
        name = _codec_name(match.encoding)
        if name and not name.startswith("utf"):
            names.setdefault(name, _OTHER_PRIOR)
    costs: dict[str, float] = {}  # sample text -> cost; many encodings agree
    ranked = []
    for name, prior in names.items():
        if isolated and _multibyte(name):
            continue  # no two high bytes side by side: not a two-byte encoding
        text = _decode_sample(sample, name)
        if text is None:
            continue
        if text not in costs:
            costs[text] = plausibility_cost(text)
        ranked.append((costs[text] + prior, costs[text], name, text))
    ranked.sort(key=lambda r: r[:2])
    for _, cost, name, text in ranked:
        try:
            data.decode(name)  # the whole file must decode, not just the sample
        except UnicodeDecodeError:
            continue
        if matches.best() is None:
            # charset-normalizer found nothing: accept only clearly plausible text
            if cost > _PLAUSIBLE * max(1, sum(1 for ch in text if ord(ch) > 127)):
                return None
        return name
    return None


def _codec_name(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        return None


@lru_cache(maxsize=None)
def _multibyte(name: str) -> bool:
    """Whether the codec reads some characters from more than one byte."""
    return len(bytes(range(128, 256)).decode(name, errors="replace")) != 128


def _sample(data: bytes) -> bytes:
    """Up to _SAMPLE bytes from the line holding the first non-ASCII byte, cut
    at a line end when there is one (a newline byte is never part of a
    multi-byte character)."""
    first = _HIGH.search(data)
    start = data.rfind(b"\n", 0, first.start()) + 1 if first else 0
    end = start + _SAMPLE
    if end < len(data):
        cut = data.rfind(b"\n", start, end)
        end = cut + 1 if cut > start else end
    return data[start:end]


def _decode_sample(sample: bytes, name: str) -> str | None:
    """The sample decoded, or None if the encoding rejects it; a character cut
    at the sample's end is dropped."""
    try:
        return sample.decode(name)
    except UnicodeDecodeError as err:
        if err.start >= len(sample) - 3 and err.reason in ("incomplete multibyte sequence", "unexpected end of data"):
            return sample[: err.start].decode(name, errors="ignore")
        return None
    except LookupError:
        return None


# --- plausibility -----------------------------------------------------------------------

# Non-ASCII letters each Latin-script language uses: (common, rare).
_ALPHABETS = (
    ("àâçéèêëîïôùûœ", "æÿü"),  # French
    ("äöüß", ""),  # German
    ("áéíñóú", "üï"),  # Spanish
    ("ãáâàçéêíóôõú", "ü"),  # Portuguese
    ("àèéìòù", "íîóú"),  # Italian
    ("àçèéíïòóúü", ""),  # Catalan
    ("ëéï", "áèöüóíúäâêô"),  # Dutch
    ("æøå", "éóôü"),  # Danish, Norwegian
    ("åäö", "éü"),  # Swedish
    ("äö", "åšž"),  # Finnish
    ("áðéíóúýþæö", ""),  # Icelandic
    ("ąćęłńóśźż", ""),  # Polish
    ("áčéěíóřšúůýž", "ďňť"),  # Czech
    ("áčéíóšťúýžôň", "äďĺľŕ"),  # Slovak
    ("áéíóöőúüű", ""),  # Hungarian
    ("čšž", "ćđ"),  # Slovene
    ("čćđšž", ""),  # Croatian, Bosnian, Serbian
    ("ăâîșțşţ", ""),  # Romanian
    ("çğıöşüİ", "âî"),  # Turkish
    ("çë", ""),  # Albanian
    ("äöõü", "šž"),  # Estonian
    ("āčēģīķļņšūž", ""),  # Latvian
    ("ąčęėįšųūž", ""),  # Lithuanian
)
_LATIN_COSTS = tuple(
    {**{ch: 0.0 for ch in common}, **{ch: 0.5 for ch in rare}} for common, rare in _ALPHABETS
)
_FOREIGN_LETTER = 2.0  # a letter the best fitting language does not use

# Letter frequencies (per cent) of the languages written in each alphabet
# (Greek with accents and final sigma folded). A text whose letters cost more
# bits on average than the limit, in the language that fits it best, is
# charged for the excess: Russian costs about 4.3 bits a letter, KOI8-R read as
# cp1251 about 5.3.
def _table(letters: str, per_cent: str) -> dict[str, float]:
    values = [float(v) for v in per_cent.split()]
    assert len(values) == len(letters) == len(set(letters)), letters
    total = sum(values)
    return {ch: -math.log2(v / total) for ch, v in zip(letters, values)}


_UNIGRAMS = {
    "CYRILLIC": ((
        _table("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",  # Russian
               "10.97 8.45 8.01 7.35 6.70 6.26 5.47 4.73 4.54 4.40 3.49 3.21 2.98 2.81 2.62 2.01 1.90 1.74 1.70 "
               "1.65 1.59 1.44 1.21 0.97 0.94 0.73 0.64 0.48 0.36 0.32 0.26 0.04 0.04"),
        _table("оаніирвтеклсудмпзяьгбчхйжїцюшєщфґ",  # Ukrainian
               "9.4 8.0 6.9 5.6 6.2 5.0 5.0 4.6 4.9 3.7 3.6 4.3 3.3 3.1 3.0 2.9 2.3 2.1 1.7 1.6 1.6 1.3 1.1 1.1 0.9 "
               "1.0 0.9 0.8 0.8 0.8 0.5 0.3 0.05"),
        _table("аоеинтрсвлкдпмзъугябчйжхцщшюфь",  # Bulgarian
               "8.9 8.6 8.3 7.6 6.6 6.8 5.3 4.6 4.4 3.4 3.5 3.2 3.0 2.8 2.1 2.4 1.6 1.5 2.0 1.3 1.4 0.9 0.7 0.9 "
               "0.9 0.8 0.6 0.3 0.3 0.05"),
        _table("аоиенрстјукдвлмпзгбчшцњћхжљђџфѓќѕ",  # Serbian, Macedonian
               "11.0 9.5 9.5 8.5 5.5 5.0 4.5 4.5 4.5 4.0 3.5 3.5 3.5 3.0 3.0 2.8 1.7 1.7 1.5 1.0 0.8 0.8 0.6 1.0 "
               "0.5 0.6 0.5 0.3 0.1 0.3 0.1 0.1 0.1"),
    ), 4.6),
    "GREEK": ((
        _table("αοετσινρηκπυμλωγδθχφβξζψ",
               "12.0 9.8 8.0 8.0 7.6 7.5 6.9 4.5 4.5 4.0 4.0 4.0 3.3 2.8 2.0 1.7 1.7 1.3 1.0 0.8 0.6 0.4 0.4 0.15"),
    ), 4.6),
    "HEBREW": ((
        _table("יוהלרבתמאשנעםדקחפסכגטצןזךףץ",
               "11.0 10.0 9.0 7.0 5.5 5.0 5.0 5.0 5.0 4.5 4.0 3.0 3.0 2.5 2.5 2.5 2.0 2.0 2.0 1.5 1.0 1.0 1.5 1.0 "
               "0.5 0.3 0.3"),
    ), 4.6),
    "ARABIC": ((
        _table("البمينورتةعدسفهكقأحجشىطصخإضزذثآغظؤئءپچژگکیےہںٹڈڑ",  # with the Persian and Urdu letters
               "12.5 11.0 3.5 5.5 6.5 5.0 5.5 4.5 4.0 3.0 3.0 3.0 2.5 2.5 2.5 2.5 2.5 2.5 2.0 1.5 1.0 1.5 1.0 1.0 "
               "1.0 1.0 0.5 0.5 0.7 0.5 0.3 0.5 0.2 0.2 0.5 0.5 0.3 0.3 0.1 0.3 0.3 0.3 0.3 0.3 0.3 0.3 0.3 0.3"),
    ), 4.8),
}
_UNKNOWN_BITS = 10.0  # a letter missing from a language's table
_UNMODELLED = 0.8  # a letter of a script without tables cannot be checked

# The most frequent characters of a script; a decoding whose text has fewer of
# them than the floor is charged for the shortfall. Kana count as frequent.
_FREQUENT = {
    "HAN": (set(
        "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经"
        "么去法学如都同现当没动面起看定天分还进好小部其些主样理心本前开但因只从想实日者意无力与长把机十民第公此已工使情明性知全三又关"
        "点正业外将两高间由问很最重并物手应战向头文体政美相见被利二等产或新己制身果加西月话合回特代内信表化给世位次度门任常先海通教原"
        "东提立及比员解水名真论处走义各入几口认条平系气题活更别打女变四总何电数安少报才结反受目太量再感建务做接必场件计管期市直资命山"
        "金指许统区保至队形社便空决治展马科司五基书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死该交规万取格"
        "望术领共确传师观清今切院让识带导争运改收根干造言联持组每济车亲极林服办议往元证近失转令准布始存未远台单影具罗字爱击流备兵连调"
        "深商算质团集百需价党华城级整府离况亚请技际约示复病息究线官断满支视消越器容照须九增研写称企八功包片史委查易早曾除农找装广显"
        "這個們來為國說時會對於著過發後裡從實開當現動樣麼經學義點長與問機關還頭體見間無產應戰內資強總報電"
        "本日人年大十二中出三時行見月分前生五間上東四今金九入高円子外八六下来気小七山話女北午百書先名川千水半男西電校語土木聞食車何南"
        "万毎白天母火右読友左休父雨"
    ), 0.3),
    "HANGUL": (set(
        "이다는의에고하을가로지기서한은도대사리자를정시수인일국아어나게보부해주제전상것적들있었여우원화구면성과문경장위요만동내무회개"
        "그안비방라했된중신관업공생러계학발음세니마영거미실두치모소분연물산당조결통재진행금민단법선람현외간출반번입말명없때체합심활작"
    ), 0.3),
}

# Non-ASCII punctuation and symbols that ordinary text uses.
_USUAL = set("\u00a0’‘“”„‚«»‹›–—―…•·€£¥°§©®™¿¡†‡‰ªº\u00ad")
_ONE_LETTER_WORD = re.compile("[àÀéÉèÈóÓúÚåÅöÖ]")  # French, Portuguese, Italian, Spanish, Swedish
_JOINERS = set("’‘·\u00ad‐‑‒–—―")  # may stand between two letters of a word
_TOKEN = re.compile(r"\S*[^\x00-\x7f]\S*")
_HAN_SPACE_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff](?= +[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_ALPHABETIC = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN"}
_EAST_ASIAN = {"HAN", "KANA", "HALFWIDTH"}


@lru_cache(maxsize=65536)
def _kind(ch: str) -> tuple[str, str, float]:
    """(kind, script, own cost): kind is L(etter), P(unctuation), M(ark) or
    O(ther); script is the first word of a letter's Unicode name, with Han
    and kana grouped."""
    o = ord(ch)
    if o < 128:
        return ("L", "LATIN", 0.0) if ch.isalpha() else ("O", "", 0.0)
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd":
        return "O", "", 6.0
    if ch in _USUAL:
        return "P", "", 0.0
    if cat[0] == "L":
        name = unicodedata.name(ch, "")
        script = name.split(" ", 1)[0]
        if script in ("CJK", "IDEOGRAPHIC"):
            return "L", "HAN", 0.0
        if script in ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"):
            return "L", "KANA", 0.0
        if script == "HALFWIDTH":
            return "L", "HALFWIDTH", 1.0
        if script in ("HANGUL",):
            return "L", "HANGUL", 0.0
        if script in ("MICRO", "FEMININE", "MASCULINE"):
            return "P", "", 1.0
        if script == "FULLWIDTH":
            return "L", "HAN", 0.0
        return "L", script, 0.0
    if cat == "Mn":
        return "M", "", 0.0
    if cat == "Cf":
        return "O", "", 1.0
    if cat == "Zs" or cat == "Nd" or cat == "Nl":
        return "O", "", 0.0
    if cat[0] == "P" and o > 0xFF:
        return "P", "", 0.0  # general and CJK punctuation
    return "P", "", 1.0  # rare symbols: ¤ ¦ ¨ ´ ¸ ¹ ² ³ ¼ ½ ¾ ¬ ± box drawing ...


@lru_cache(maxsize=65536)
def _in(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


@lru_cache(maxsize=4096)
def _fold(ch: str, script: str) -> str:
    """The letter as the frequency tables list it."""
    low = ch.lower()
    if script == "GREEK":
        low = unicodedata.normalize("NFD", low)[0].replace("ς", "σ")
    return low


def _rare_cjk(ch: str, script: str) -> bool:
    """Han or Hangul that only the extended sets (GBK, UHC, ...) hold."""
    if script == "HANGUL":
        return not _in(ch, "euc_kr")
    return not any(_in(ch, encoding) for encoding in ("gb2312", "shift_jis", "big5", "euc_kr"))


def plausibility_cost(text: str) -> float:
    """How implausible ``text`` is as human writing; 0 for nothing suspect.
    Only words holding non-ASCII characters are looked at."""
    cost = 0.0
    latin: dict[str, int] = {}  # accented Latin letter -> count
    latin_letters = 0  # all Latin letters in words that hold accented ones
    alphabets: dict[str, dict[str, int]] = {}  # Cyrillic, Greek, ... -> folded letter -> count
    capitals: dict[str, int] = {}
    east: dict[str, list[int]] = {}  # Han (with kana), Hangul -> [characters, frequent ones]
    han: list[str] = []
    seen: set[str] = set()  # scripts other than Latin
    for token in _TOKEN.findall(text):
        word_latin = word_accented = 0
        prev = ("O", "", 0.0)
        prev_ch = ""
        last = len(token) - 1
        for i, ch in enumerate(token):
            kind, script, own = here = _kind(ch)
            cost += own
            if kind == "L":
                if script == "LATIN":
                    word_latin += 1
                    if ord(ch) > 127:
                        word_accented += 1
                        low = ch.lower()
                        latin[low] = latin.get(low, 0) + 1
                else:
                    seen.add(script)
                    if script in _UNIGRAMS:
                        counts = alphabets.setdefault(script, {})
                        folded = _fold(ch, script)
                        counts[folded] = counts.get(folded, 0) + 1
                        if ch.isupper():
                            capitals[script] = capitals.get(script, 0) + 1
                        if prev_ch == "ς" or (ch == "σ" and (i == last or not token[i + 1].isalpha())):
                            cost += 2.0  # final sigma inside a word, medial sigma at its end
                    else:
                        bucket = "HAN" if script in _EAST_ASIAN else script
                        if bucket in _FREQUENT:
                            counts = east.setdefault(bucket, [0, 0])
                            counts[0] += 1
                            counts[1] += script == "KANA" or ch in _FREQUENT[bucket][0]
                        else:
                            cost += _UNMODELLED
                        if script in ("HAN", "HANGUL"):
                            cost += 2.0 * _rare_cjk(ch, script)
                            if script == "HAN":
                                han.append(ch)
                if prev[0] == "L":
                    other = prev[1]
                    if other != script:
                        # Han and kana mix in Japanese; Han and Hangul, rarely, in Korean
                        if not (other in _EAST_ASIAN and script in _EAST_ASIAN):
                            cost += 1.0 if {other, script} <= _EAST_ASIAN | {"HANGUL"} else 3.0
                    elif prev_ch.islower() and ch.isupper() and (ord(ch) > 127 or ord(prev_ch) > 127):
                        cost += 2.0  # "нЙОЙУФТ"
            elif kind == "P" and 0 < i < last and prev[0] == "L" and prev[1] in _ALPHABETIC and ch not in _JOINERS:
                after = _kind(token[i + 1])
                if after[0] == "L" and after[1] in _ALPHABETIC:
                    cost += 3.0  # a symbol inside a word: "Za¿ó³æ", "v½u"
            elif kind == "M" and prev[0] not in ("L", "M"):
                cost += 3.0  # a combining mark on nothing
            prev, prev_ch = here, ch
        if word_accented:
            latin_letters += word_latin
            if word_latin == 1 and not _ONE_LETTER_WORD.search(token):
                cost += 1.5  # "œ" or "Š" standing alone, where "½" or "¦" would fit
    if latin:
        accented = sum(latin.values())
        # the language whose alphabet fits best
        cost += min(sum(n * costs.get(ch, _FOREIGN_LETTER) for ch, n in latin.items()) for costs in _LATIN_COSTS)
        # Latin-script languages write mostly unaccented letters (Greek or
        # Cyrillic read as cp1252 is nearly all accented letters)
        cost += 4.0 * max(0.0, accented - 0.5 * latin_letters - 1)
    for script, counts in alphabets.items():
        tables, limit = _UNIGRAMS[script]
        letters = sum(counts.values())
        bits = min(sum(n * table.get(ch, _UNKNOWN_BITS) for ch, n in counts.items()) for table in tables)
        cost += 3.0 * letters * max(0.0, bits / letters - limit)
        if letters <= 2:
            cost += 1.5 * letters  # a stray letter or two: more likely a symbol ("ј" for "¼")
        # text is mostly lower case; KOI8-R read as cp1251 (and the reverse) mostly capitals
        cost += 0.2 * letters * max(0.0, capitals.get(script, 0) / letters - 0.5)
    for script, (chars, frequent) in east.items():
        cost += 4.0 * chars * max(0.0, _FREQUENT[script][1] - frequent / chars)
    cost += 2.0 * len(_HAN_SPACE_HAN.findall(text))
    if han and ("KANA" in seen or "HANGUL" in seen):
        # Japanese writes kanji of JIS X 0208, Korean hanja of KS X 1001
        charset = "cp932" if "KANA" in seen else "euc_kr"
        cost += 1.5 * sum(1 for ch in han if not _in(ch, charset))
    return cost
