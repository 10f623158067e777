"""Stage 1, decoding: bytes that are not UTF-8 are decoded in the legacy
encoding that gives the most plausible text, short files included."""

import codecs
import importlib
import unicodedata

import pytest

from accord import InputError
from accord.read.decode import decode

# --- Western European (cp1252, latin-1, iso-8859-15) --------------------------------------

FR_SHORT = "Le ministre des Affaires étrangères a reçu jeudi son homologue algérien à Paris."
FR_IVORY = "Côte d'Ivoire et l'Élysée ont signé un accord."
FR_QUOTES = "L’ambassadeur a déclaré : « Nous sommes prêts à négocier dès demain » – sans préciser où."
FR_LONG = """Les négociations entre la France et le Maroc ont repris mardi à Rabat, après plusieurs mois de tensions diplomatiques liées à la question des visas.

Le ministre des Affaires étrangères, arrivé la veille, a été reçu par son homologue marocain pendant près de trois heures. « Nous avons ouvert une nouvelle page », a-t-il déclaré à l’issue de l’entretien, évoquant une coopération « renforcée » dans les domaines de l’énergie, de l’éducation et de la sécurité.

Selon un communiqué publié à Paris, les deux pays envisagent la création d’un comité mixte chargé de préparer une visite d’État avant la fin de l’année. L’opposition a toutefois critiqué un accord « déséquilibré », jugeant que les engagements français restaient trop vagues.
"""
DE_SHORT = "Die Außenministerin traf ihren österreichischen Amtskollegen zu Gesprächen über die Grenzöffnung."
DE_LONG = """Die Außenminister Deutschlands und Polens haben sich am Montag in Görlitz getroffen, um über die Zusammenarbeit an der gemeinsamen Grenze zu sprechen.

Nach dem Treffen erklärte die deutsche Ministerin, beide Länder wollten die grenzüberschreitende Polizeiarbeit stärken und neue Brücken über die Neiße bauen. Ihr polnischer Amtskollege begrüßte die Vorschläge, äußerte jedoch Bedenken wegen der Finanzierung.

Gemäß § 4 des Nachbarschaftsvertrages soll eine gemeinsame Kommission bis zum Frühjahr einen Bericht vorlegen. Die Opposition in Berlin kritisierte, die Gespräche hätten zu wenig konkrete Ergebnisse gebracht.
"""
ES_SHORT = "¿Habrá acuerdo? El canciller se reunió en Rabat con su homólogo marroquí para negociar la pesca."
ES_LONG = """El ministro de Asuntos Exteriores de España viajó el miércoles a Bogotá para reunirse con el presidente colombiano y firmar un acuerdo de cooperación judicial.

Según fuentes diplomáticas, las conversaciones se centraron en la lucha contra el narcotráfico, la migración y la inversión en energías renovables. «Es un día histórico para nuestras relaciones», afirmó el canciller tras la reunión.

La oposición pidió más información sobre el coste del acuerdo. ¿Cuándo se aplicará? El Gobierno respondió que el texto entrará en vigor en enero, una vez aprobado por ambos parlamentos.
"""
PT_SHORT = "O chanceler brasileiro e o ministro português assinaram em Lisboa um acordo de cooperação."
PT_LONG = """O presidente do Brasil recebeu nesta terça-feira, em Brasília, o primeiro-ministro de Portugal para uma visita oficial de dois dias.

Os dois governos assinaram acordos nas áreas da educação, da saúde e da cooperação científica. Segundo o Itamaraty, as negociações sobre o reconhecimento de diplomas avançaram após anos de impasse.

Em declarações à imprensa, o chefe do governo português afirmou que a relação entre os dois países «nunca esteve tão próxima» e anunciou a abertura de um novo consulado em São Paulo.
"""
# iso-8859-15 differs from latin-1 in eight places, among them € (0xA4) and œ (0xBD).
FR_EURO_SHORT = "Bruxelles débloque une aide de 500 M€ et le ministre salue « un vœu enfin exaucé »."
FR_EURO_LONG = """Les ministres européens des Finances se sont mis d'accord lundi à Luxembourg sur une aide de 50 milliards € destinée à la reconstruction.

Le commissaire a salué « une œuvre commune » et rappelé que chaque État membre verserait sa part d'ici à l'été. Le ministre français a exprimé le vœu que les premiers 5 milliards € soient versés avant la fin de l'année.

Les pays du Nord ont toutefois demandé des garanties : selon eux, le cœur du problème reste le contrôle des dépenses.
"""

# --- Central European (cp1250) -------------------------------------------------------------

PL_SHORT = "Premier podpisał w Brukseli porozumienie o współpracy energetycznej z Ukrainą."
PL_PANGRAM = "Zażółć gęślą jaźń – powiedział żartem minister po spotkaniu."
PL_LONG = """Minister spraw zagranicznych Polski spotkał się w czwartek w Wilnie ze swoim litewskim odpowiednikiem, aby omówić bezpieczeństwo regionu.

Obaj politycy podkreślili, że współpraca wojskowa między sąsiadami jest ważniejsza niż kiedykolwiek. Rozmawiano również o budowie nowego połączenia kolejowego i o ochronie granicy przed nielegalną migracją.

Według źródeł dyplomatycznych strony uzgodniły, że w przyszłym miesiącu odbędą się kolejne konsultacje w Warszawie. Opozycja zarzuciła rządowi, że porozumienie jest zbyt ogólnikowe.
"""
CS_SHORT = "Ministr zahraničí jednal v Praze se slovenským protějškem o společné obraně."
CS_LONG = """Ministr zahraničních věcí České republiky přijal v úterý v Praze svého rakouského kolegu. Hlavním tématem jednání byla budoucnost jaderné elektrárny Temelín.

Oba politici se shodli, že spory o energetiku nesmějí ohrozit dobré sousedské vztahy. Rakouská strana však znovu vyjádřila obavy z bezpečnosti a požádala o další údaje.

Podle diplomatických zdrojů se ministři dohodli na společné pracovní skupině, která předloží zprávu do konce příštího roku. Opozice označila výsledek schůzky za příliš opatrný.
"""

# --- Cyrillic (cp1251, koi8-r) and Greek (cp1253) ------------------------------------------

RU_SHORT = "Министр иностранных дел России встретился в Пекине со своим китайским коллегой."
RU_LONG = """Министр иностранных дел России в понедельник провёл переговоры в Анкаре со своим турецким коллегой. Стороны обсудили ситуацию на Ближнем Востоке и торговое сотрудничество.

По словам дипломатов, встреча продолжалась более трёх часов. «Мы договорились продолжить консультации на уровне экспертов», — заявил министр журналистам после переговоров.

Турецкая сторона предложила провести следующий раунд встреч в Стамбуле. Оппозиция в обеих странах раскритиковала отсутствие конкретных договорённостей.
"""
EL_SHORT = "Ο υπουργός Εξωτερικών συναντήθηκε στην Αθήνα με τον Τούρκο ομόλογό του."
EL_LONG = """Ο υπουργός Εξωτερικών της Ελλάδας συναντήθηκε την Τρίτη στην Άγκυρα με τον Τούρκο ομόλογό του, σε μια προσπάθεια να μειωθούν οι εντάσεις στο Αιγαίο.

Σύμφωνα με διπλωματικές πηγές, οι δύο πλευρές συμφώνησαν να συνεχίσουν τον πολιτικό διάλογο και να ενισχύσουν τη συνεργασία στο εμπόριο και τον τουρισμό.

Η αντιπολίτευση στην Αθήνα επέκρινε την κυβέρνηση, υποστηρίζοντας ότι η συνάντηση δεν έφερε κανένα συγκεκριμένο αποτέλεσμα.
"""

# --- East Asian (shift_jis, gb2312/gbk, euc-kr) --------------------------------------------

JA_SHORT = "外務大臣は月曜日、東京で韓国の外相と会談し、経済協力について合意した。"
JA_LONG = """外務大臣は十五日、東京都内で韓国の外相と会談し、両国の経済協力や安全保障について意見を交わした。

会談は約二時間にわたって行われ、双方は来年の首脳会談の開催に向けて準備を進めることで一致した。外務省によると、北朝鮮の問題についても緊密に連携していく方針を確認したという。

一方、野党は「具体的な成果が乏しい」として政府の対応を批判している。
"""
ZH_SHORT = "外交部长周一在北京会见了法国外长，双方就贸易合作达成共识。"
ZH_LONG = """国务院总理周二在北京人民大会堂会见了来访的德国总理，双方就经贸合作、气候变化等问题深入交换了意见。

总理表示，中方愿与德方加强在新能源、人工智能等领域的合作，推动两国关系健康稳定发展。德国总理说，德方重视对华关系，愿意继续扩大双边贸易。

会谈后，两国签署了多项合作文件。外交部发言人在例行记者会上表示，此次访问取得了积极成果。
"""
KO_SHORT = "외교부 장관은 월요일 서울에서 일본 외무상과 회담을 열고 경제 협력에 합의했다."
KO_LONG = """외교부 장관은 15일 서울에서 일본 외무상과 회담을 갖고 양국의 경제 협력과 안보 문제에 대해 논의했다.

회담은 약 두 시간 동안 진행됐으며, 양측은 내년 정상회담 개최를 위한 준비를 계속하기로 합의했다. 외교부에 따르면 두 장관은 북한 문제에 대해서도 긴밀히 협력하기로 했다.

한편 야당은 구체적인 성과가 부족하다며 정부의 대응을 비판했다.
"""
# KOI8-R has neither guillemets nor long dashes.
RU_LONG_KOI8 = RU_LONG.replace("«", '"').replace("»", '"').replace("—", "-")
# A latin-1 text with a character iso-8859-15 puts a letter in its place (0xBD: ½ / œ).
DE_HALF = "Die Zinsen steigen um ½ Prozentpunkt, sagte der Gouverneur nach den Gesprächen in Zürich."

LEGACY = [
    ("cp1252", "fr-short", FR_SHORT),
    ("cp1252", "fr-ivory", FR_IVORY),
    ("cp1252", "fr-quotes", FR_QUOTES),
    ("cp1252", "fr-long", FR_LONG),
    ("cp1252", "de-short", DE_SHORT),
    ("cp1252", "de-long", DE_LONG),
    ("cp1252", "es-short", ES_SHORT),
    ("cp1252", "es-long", ES_LONG),
    ("cp1252", "pt-short", PT_SHORT),
    ("cp1252", "pt-long", PT_LONG),
    ("latin-1", "fr-ivory", FR_IVORY),
    ("latin-1", "de-short", DE_SHORT),
    ("latin-1", "de-half", DE_HALF),
    ("latin-1", "de-long", DE_LONG),
    ("latin-1", "es-short", ES_SHORT),
    ("latin-1", "es-long", ES_LONG),
    ("latin-1", "pt-short", PT_SHORT),
    ("latin-1", "pt-long", PT_LONG),
    ("iso-8859-15", "fr-ivory", FR_IVORY),
    ("iso-8859-15", "fr-euro-short", FR_EURO_SHORT),
    ("iso-8859-15", "fr-euro-long", FR_EURO_LONG),
    ("iso-8859-15", "de-long", DE_LONG),
    ("cp1250", "pl-short", PL_SHORT),
    ("cp1250", "pl-pangram", PL_PANGRAM),
    ("cp1250", "pl-long", PL_LONG),
    ("cp1250", "cs-short", CS_SHORT),
    ("cp1250", "cs-long", CS_LONG),
    ("cp1251", "ru-short", RU_SHORT),
    ("cp1251", "ru-long", RU_LONG),
    ("koi8-r", "ru-short", RU_SHORT),
    ("koi8-r", "ru-long", RU_LONG_KOI8),
    ("cp1253", "el-short", EL_SHORT),
    ("cp1253", "el-long", EL_LONG),
    ("iso-8859-7", "el-short", EL_SHORT),
    ("iso-8859-7", "el-long", EL_LONG),  # Ά is 0xB6 here, 0xA2 in cp1253
    # The one-line East Asian sentences are decoded right too; a three-character
    # string is not enough to tell GB2312 from EUC-KR, so none is tested here.
    ("shift_jis", "ja-short", JA_SHORT),
    ("shift_jis", "ja-long", JA_LONG),
    ("gb2312", "zh-short", ZH_SHORT),
    ("gb2312", "zh-long", ZH_LONG),
    ("gbk", "zh-short", ZH_SHORT),
    ("gbk", "zh-long", ZH_LONG),
    ("euc-kr", "ko-short", KO_SHORT),
    ("euc-kr", "ko-long", KO_LONG),
]


@pytest.mark.parametrize("encoding, text", [(e, t) for e, _, t in LEGACY], ids=[f"{e}-{n}" for e, n, _ in LEGACY])
def test_legacy_encodings_decode_to_the_original_text(encoding, text):
    data = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # so the legacy path is what is tested
    assert decode(data, "sample.txt") == text


SHORT = [(e, n, t) for e, n, t in LEGACY if "long" not in n]


@pytest.mark.parametrize("encoding, text", [(e, t + "\n") for e, _, t in SHORT], ids=[f"{e}-{n}" for e, n, _ in SHORT])
def test_a_final_newline_changes_nothing(encoding, text):
    assert decode(text.encode(encoding), "sample.txt") == text


# Short Western files that charset-normalizer alone read as Big5, UTF-16, Korean
# or cp1250: a few accented letters in ASCII text are never CJK.
SHORT_WESTERN = [
    "Ça va très bien, merci.",
    "Réunion à Genève.",
    "Zürich",
    "año",
    "naïve",
    "São Paulo e Brasília.",
    "Le cœur de l’Europe",
    "Smørrebrød og æbleskiver i København.",
    "À Genève, où les pourparlers ont échoué, on s’est quitté fâchés.",
    "The fund holds £5m and €3m.",
    "He said “no” to the deal — again.",
]


@pytest.mark.parametrize("text", SHORT_WESTERN)
def test_short_western_text_stays_western(text):
    out = decode(text.encode("cp1252"), "short.txt")
    assert out == text
    scripts = {unicodedata.name(ch, "?").split()[0] for ch in out}
    assert not scripts & {"CJK", "HANGUL", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH"}


UTF8 = [FR_LONG, PL_SHORT, RU_SHORT, EL_SHORT, JA_SHORT, ZH_SHORT, KO_SHORT, "plain ASCII text\n"]


@pytest.mark.parametrize("text", UTF8, ids=["fr", "pl", "ru", "el", "ja", "zh", "ko", "ascii"])
def test_utf8_is_decoded_as_is_without_detection(text, monkeypatch):
    def no_detection(*args, **kwargs):
        raise AssertionError("UTF-8 input must not go through charset detection")

    monkeypatch.setattr(importlib.import_module("accord.read.decode"), "from_bytes", no_detection)
    assert decode(text.encode("utf-8"), "utf8.txt") == text


def test_a_bom_decides_the_encoding():
    assert decode(codecs.BOM_UTF8 + FR_SHORT.encode("utf-8"), "bom.txt") == FR_SHORT
    assert decode(codecs.BOM_UTF16_LE + RU_SHORT.encode("utf-16-le"), "bom.txt") == RU_SHORT


BAD = [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"\x00\x01binary", "binary"),
    ("Talks were held in Hà Nộ".encode()[:-1], "truncated"),
    ("外交部长周一在北京会见了法国外长".encode()[:-2], "truncated"),
    (codecs.BOM_UTF8 + b"caf\xe9 au lait", "undecodable"),
    (bytes(range(0x80, 0x100)) * 8, "undecodable"),
]


@pytest.mark.parametrize("data, reason", BAD, ids=["empty", "blank", "binary", "truncated-vi", "truncated-zh", "bad-bom", "noise"])
def test_bad_input_raises_input_error_with_its_reason(data, reason):
    with pytest.raises(InputError) as caught:
        decode(data, "bad.txt")
    assert caught.value.source == "bad.txt"
    assert caught.value.reason.split(":")[0] == reason
