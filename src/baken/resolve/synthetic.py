"""A seeded synthetic person-linkage problem: N records on the left, N on the right.

Every person here is fictional: first and last names are drawn independently from
hand-written tables of common Dutch, English, Russian, Arabic and Chinese names (native
spellings and Latin romanisations), dates of birth, passport-like numbers and Dutch
addresses are random. Any resemblance to a real person is a coincidence of the draw.

The right side holds the left's people again (a share ``unmatched`` of each side has no
counterpart), written differently:

* ``typo``: one edit in the first or last name (insert, delete, substitute, transpose;
  now and then two), in the name's own script (never in Chinese characters);
* ``swap``: first and last name exchanged;
* ``missing_*``: the date of birth, the nationality or the whole address left out;
* ``moved``: a new address (street, house number, postcode and city change together);
* ``date``: a typing error in the date of birth (day and month swapped, or one digit);
* ``script``: the name in another script (Cyrillic, Arabic or Chinese characters on one
  side, a Latin romanisation on the other);
* ``romanisation``: both Latin, romanised by another convention (Yuriy / Yury / Iurii /
  Jurij / Joeri; Mohammed / Muhammad; Jinping / Jin-ping).

``script`` and ``romanisation`` together are the cross-script part. The problem is built
column by column with numpy and Arrow, so a million records per side take seconds; the
same seed gives the same problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

Array = npt.NDArray[Any]

# -- corruption kinds (bits of the ``kinds`` column of :attr:`Problem.pairs`) -----------

TYPO = 1
SWAP = 2
MISSING_BIRTH_DATE = 4
MISSING_NATIONALITY = 8
MISSING_ADDRESS = 16
MOVED = 32
DATE = 64
SCRIPT = 128
ROMANISATION = 256
KINDS = {
    "typo": TYPO,
    "swap": SWAP,
    "missing_birth_date": MISSING_BIRTH_DATE,
    "missing_nationality": MISSING_NATIONALITY,
    "missing_address": MISSING_ADDRESS,
    "moved": MOVED,
    "date": DATE,
    "script": SCRIPT,
    "romanisation": ROMANISATION,
}
CROSS_SCRIPT = SCRIPT | ROMANISATION

# Rates per matched right record, drawn independently of each other.
RATES = {"typo": 0.20, "swap": 0.05, "missing": 0.15, "moved": 0.15, "date": 0.05}
MISSING_SHARES = {"birth_date": 0.4, "nationality": 0.25, "address": 0.35}
IDENTIFIER_SHARE = 0.5  # each side carries the passport number half of the time
NATIVE_SHARE = 0.3  # of non-Latin people, written in their own script (else romanised)

CULTURES = ("nl", "en", "ru", "ar", "zh")
CULTURE_SHARES = (0.40, 0.15, 0.15, 0.15, 0.15)
FOREIGN = frozenset({"ru", "ar", "zh"})
MAX_CROSS_SCRIPT = 0.4  # foreign-script people are 45% of the population
FORMS = 6  # per name: form 0 is the native spelling, forms 1..5 Latin conventions

FIRST_DAY = -10957  # 1940-01-01, days since 1970-01-01
LAST_DAY = 13513  # 2006-12-31

# -- name tables (fictional combinations of common names) -------------------------------

NL_FIRST = """Jan Pieter Kees Willem Hendrik Johannes Cornelis Gerrit Dirk Bram Daan Sem Lucas
Levi Finn Thijs Ruben Jesse Bas Tim Joost Maarten Sander Wouter Niels Jeroen Erik Rutger
Sjoerd Teun | Anna Emma Sophie Julia Tess Sanne Lotte Fleur Eva Lisa Femke Anouk Iris Maud
Noor Sara Ingrid Marieke Annelies Willemijn Geertje Hanneke Mirjam Ilse Karin Esther Wilma
Petra Els Joke"""
NL_LAST = """de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen Visser Smit Meijer
de_Boer Mulder de_Groot Bos Vos Peters Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra
Smits de_Graaf van_der_Meer van_der_Linden Kok Jacobs de_Haan Vermeulen van_den_Heuvel
van_der_Veen van_den_Broek de_Bruijn van_der_Heijden Schouten van_Beek Willems van_Vliet
van_de_Ven Hoekstra Maas Verhoeven Koster van_Dam van_der_Wal Prins Blom Huisman Peeters
de_Jonge Kuipers van_Veen Post Kuiper Veenstra Kramer van_den_Brink Scholten van_Wijk
Postma Martens Vink de_Ruiter Timmermans Groen Gerritsen Jonker van_Loon van_der_Velde
Willemsen Smeets de_Lange de_Vos Bosch van_Dongen Schipper de_Koning van_der_Laan Koning
Driessen van_Doorn Hermans Evers van_den_Bosch van_der_Meulen Hofman Bosman Wolters
Sijbesma Verbeek Zwart Hoogendoorn Bouwman Mol Kroon"""
EN_FIRST = """James John Robert Michael William David Richard Joseph Thomas Charles Christopher
Daniel Matthew Anthony Mark Steven Paul Andrew Joshua Kevin Brian George Edward Ronald
Timothy Jason Jeffrey Ryan Jacob Gary | Mary Patricia Jennifer Linda Elizabeth Barbara Susan
Jessica Sarah Karen Nancy Lisa Margaret Betty Sandra Ashley Dorothy Kimberly Emily Donna
Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Laura Sharon Cynthia"""
EN_LAST = """Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore
Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright
Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker
Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey
Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders
Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Hamilton Graham Wallace
Cole West Jordan Owens Reynolds Ellis Harrison Gibson McDonald Marshall Murray Ford Wells
Webb Fletcher Palmer Hunt Hawkins Lawrence"""
# Russian first names: male, then (after the bar) female.
RU_FIRST = """Юрий Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Николай
Владимир Павел Артём Олег Игорь Виктор Константин Вячеслав Григорий Фёдор Георгий Илья
Кирилл Роман Антон Денис Василий Пётр Борис Анатолий Леонид Станислав Тимофей Ярослав |
Анна Мария Елена Ольга Наталья Татьяна Ирина Светлана Екатерина Юлия Анастасия Людмила
Галина Марина Дарья Ксения Валентина Надежда Вера Алёна Евгения Софья Полина Виктория
Александра Кристина Зоя Лариса Оксана"""
# Masculine forms; the feminine is derived (-ов -> -ова, -ский -> -ская).
RU_LAST = """Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров
Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов
Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов
Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов
Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов
Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов
Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов
Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин
Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв
Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев
Хрущёв Вишневский Покровский Островский Ковалевский Жигунов Шевчук Цветков Юдин"""
# Arabic first names: the Arabic spelling, then its usual Latin spellings.
AR_FIRST = """محمد:Mohammed,Muhammad,Mohamed,Mohammad,Muhammed أحمد:Ahmed,Ahmad علي:Ali,Aly
حسن:Hassan,Hasan حسين:Hussein,Hussain,Husayn,Hossein عمر:Omar,Umar خالد:Khaled,Khalid
يوسف:Youssef,Yusuf,Yousef,Youssouf إبراهيم:Ibrahim,Ebrahim,Brahim
عبدالله:Abdullah,Abdallah,Abdoullah
مصطفى:Mustafa,Moustafa,Mostafa محمود:Mahmoud,Mahmud سعيد:Said,Saeed كريم:Karim,Kareem
طارق:Tariq,Tarek,Tarik سامي:Sami,Samy ياسين:Yassin,Yasin,Yassine بلال:Bilal حمزة:Hamza,Hamzah
زياد:Ziad,Ziyad رامي:Rami,Ramy ماجد:Majed,Majid فيصل:Faisal,Faysal,Faycal نبيل:Nabil,Nabeel
جمال:Jamal,Gamal,Djamal وليد:Walid,Waleed عادل:Adel,Adil صالح:Saleh,Salih منصور:Mansour,Mansur
ناصر:Nasser,Nasir,Naser إسماعيل:Ismail,Ismael,Esmail عثمان:Othman,Osman,Uthman
هشام:Hisham,Hicham,Hesham رشيد:Rachid,Rashid,Rasheed أيمن:Ayman,Aymen مراد:Mourad,Murad |
فاطمة:Fatima,Fatma,Fatimah عائشة:Aisha,Aicha,Ayesha مريم:Maryam,Mariam,Meryem
زينب:Zainab,Zaynab,Zeinab خديجة:Khadija,Khadijah,Khadidja سارة:Sara,Sarah نور:Nour,Noor,Nur
ليلى:Leila,Layla,Laila أمينة:Amina,Aminah هدى:Huda,Hoda,Houda ياسمين:Yasmin,Yasmine,Jasmin
سلمى:Salma,Selma رانيا:Rania,Ranya دينا:Dina هالة:Hala نادية:Nadia,Nadya سعاد:Souad,Suad
حليمة:Halima,Halimah إيمان:Iman,Imane,Eman أسماء:Asma,Asmaa لبنى:Lubna,Loubna
سميرة:Samira,Sameera نجاة:Najat,Nagat كوثر:Kawtar,Kaoutar,Kauthar"""
# Arabic family names; a leading "+" marks the article al- (written Al-, El-, Al ...).
AR_LAST = """+الحسن:Hassan,Hasan +المصري:Masri,Masry +الخطيب:Khatib +الشامي:Shami,Chami
+النجار:Najjar,Naggar حداد:Haddad منصور:Mansour,Mansur سليمان:Suleiman,Sulaiman,Soliman
يوسف:Youssef,Yusuf إبراهيم:Ibrahim,Brahim +العمري:Omari,Umari +الزهراني:Zahrani
+القحطاني:Qahtani,Kahtani +الدوسري:Dosari,Dossary +التميمي:Tamimi +الحربي:Harbi
+الشمري:Shammari,Shamari +العتيبي:Otaibi,Utaybi +البغدادي:Baghdadi +الحلبي:Halabi
خوري:Khoury,Khouri قاسم:Qasim,Kassem,Kasim,Qassem درويش:Darwish,Darwich عيسى:Issa,Eissa,Isa
موسى:Moussa,Musa,Mousa جابر:Jaber,Jabir,Gaber +الفارس:Fares,Faris بوزيد:Bouzid,Bou_Zid
علوي:Alaoui,Alawi +الإدريسي:Idrissi,Idrisi +الفاسي:Fassi,Fasi تازي:Tazi
شرقاوي:Cherkaoui,Sharqawi,Sharkawy +الحسني:Hasani,Hassani +الأمين:Amin,Amine
بنعلي:Benali,Ben_Ali,Bin_Ali بنسعيد:Bensaid,Ben_Said عمران:Imran,Omran عباس:Abbas
حمدان:Hamdan سلامة:Salama,Salameh عودة:Odeh,Ouda,Awda نصر:Nasr,Nassr +الرفاعي:Rifai,Refaie
+السيد:Sayed,Sayyid,Sayyed بكر:Bakr,Bakir زيدان:Zidane,Zaidan,Zeidan
+الكعبي:Kaabi,Kabi +الجبوري:Jubouri,Juburi,Jabouri +الدليمي:Dulaimi,Dulaymi
+العبيدي:Obaidi,Ubaydi +الساعدي:Saadi,Saedi +الحمادي:Hammadi +الكبيسي:Kubaisi,Kubaysi
طحان:Tahhan,Tahan حجازي:Hijazi,Hegazy عزام:Azzam +النعيمي:Nuaimi,Naimi"""
ZH_LAST = """王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou
徐:xu 孙:sun 马:ma 朱:zhu 胡:hu 郭:guo 何:he 高:gao 林:lin 罗:luo 郑:zheng 梁:liang
谢:xie 宋:song 唐:tang 许:xu 韩:han 冯:feng 邓:deng 曹:cao 彭:peng 萧:xiao 田:tian
董:dong 袁:yuan 潘:pan 于:yu 蒋:jiang 蔡:cai 余:yu 杜:du 叶:ye 程:cheng 苏:su 魏:wei
丁:ding 任:ren 沈:shen 姚:yao 卢:lu 姜:jiang 崔:cui 钟:zhong 谭:tan 陆:lu 汪:wang
范:fan 金:jin 石:shi 廖:liao 贾:jia 夏:xia 韦:wei 付:fu 方:fang 白:bai 邹:zou 孟:meng
熊:xiong 秦:qin 邱:qiu 江:jiang 尹:yin 薛:xue 闫:yan 段:duan 雷:lei 侯:hou 龙:long
史:shi 陶:tao 黎:li 贺:he 顾:gu 毛:mao 郝:hao 龚:gong 邵:shao 万:wan 钱:qian 严:yan
武:wu 戴:dai 莫:mo 孔:kong 向:xiang 汤:tang 习:xi"""
# Characters of given names (one or two of them, combined at random).
ZH_GIVEN = """伟:wei 芳:fang 娜:na 敏:min 静:jing 丽:li 强:qiang 磊:lei 军:jun 洋:yang 勇:yong
艳:yan 杰:jie 娟:juan 涛:tao 明:ming 超:chao 秀:xiu 霞:xia 平:ping 刚:gang 桂:gui 英:ying
华:hua 玉:yu 兰:lan 红:hong 建:jian 国:guo 文:wen 辉:hui 鹏:peng 海:hai 晓:xiao 云:yun
志:zhi 春:chun 东:dong 宇:yu 浩:hao 嘉:jia 欣:xin 婷:ting 雪:xue 梅:mei 琳:lin 思:si
子:zi 俊:jun 晨:chen 博:bo 然:ran 雨:yu 佳:jia 怡:yi 天:tian 新:xin 立:li 永:yong 德:de
金:jin 亮:liang 成:cheng 毅:yi 慧:hui 凯:kai 琪:qi 振:zhen 宏:hong 家:jia 光:guang
荣:rong 清:qing 小:xiao 龙:long 斌:bin"""

# Cyrillic romanisations, lower case: ICAO 9303 (passports), BGN/PCGN, English press,
# scholarly (ISO/R 9) and Dutch. A list is (default, word-initial or after a vowel).
_RU_COMMON = dict(zip("абвгдзиклмнопрстуф", "abvgdziklmnoprstuf", strict=True))
_VOWELS = set("аеёиоуыэюяъь")
ROMANISATIONS: dict[str, dict[str, str | tuple[str, str]]] = {
    "icao": {
        **_RU_COMMON,
        **dict(е="e", ё="e", ж="zh", й="i", х="kh", ц="ts", ч="ch", ш="sh", щ="shch"),
        **dict(ъ="ie", ы="y", ь="", э="e", ю="iu", я="ia"),
    },
    "bgn": {
        **_RU_COMMON,
        **dict(е=("e", "ye"), ё=("ë", "yë"), ж="zh", й="y", х="kh", ц="ts", ч="ch"),
        **dict(ш="sh", щ="shch", ъ='"', ы="y", ь="'", э="e", ю="yu", я="ya"),
    },
    "press": {
        **_RU_COMMON,
        **dict(е=("e", "ye"), ё=("yo", "yo"), ж="zh", й="y", х="kh", ц="ts", ч="ch"),
        **dict(ш="sh", щ="shch", ъ="", ы="y", ь="", э="e", ю="yu", я="ya"),
    },
    "scholarly": {
        **_RU_COMMON,
        **dict(е="e", ё="ë", ж="ž", й="j", х="ch", ц="c", ч="č", ш="š", щ="šč"),
        **dict(ъ="ʺ", ы="y", ь="ʹ", э="è", ю="ju", я="ja"),
    },
    "nl": {
        **_RU_COMMON,
        **dict(е=("e", "je"), ё=("jo", "jo"), ж="zj", й="j", х="ch", ц="ts", ч="tsj"),
        **dict(ш="sj", щ="sjtsj", ъ="", ы="y", ь="", э="e", ю="joe", я="ja", у="oe"),
    },
}
_ENDINGS = {"press": {"ий": "y", "ый": "y"}, "nl": {"ий": "i", "ый": "y"}}


def romanise(word: str, convention: str) -> str:
    """``word`` (Cyrillic) in the Latin ``convention`` (a key of :data:`ROMANISATIONS`)."""
    table = ROMANISATIONS[convention]
    lower = word.lower()
    tail = ""
    for ending, latin in _ENDINGS.get(convention, {}).items():
        if lower.endswith(ending):
            lower, tail = lower[: -len(ending)], latin
    out = []
    for i, char in enumerate(lower):
        spelled = table.get(char, char)
        if isinstance(spelled, tuple):
            spelled = spelled[1] if i == 0 or lower[i - 1] in _VOWELS else spelled[0]
        out.append(spelled)
    return ("".join(out) + tail).capitalize()


def _feminine(surname: str) -> str:
    if surname.endswith("ский"):
        return surname[:-4] + "ская"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname  # Шевчук, and the like: the same for women


def _latin_forms(native: str, variants: list[str]) -> list[str]:
    """Form 0 the native spelling, forms 1.. the variants, cycled to :data:`FORMS`."""
    return [native] + [variants[i % len(variants)] for i in range(FORMS - 1)]


def _arabic(spec: str, article: bool) -> tuple[str, list[str]]:
    native, _, latin = spec.partition(":")
    stems = [s.replace("_", " ") for s in latin.split(",")]
    if not article:
        return native, stems
    styles = ("Al-{}", "Al{}", "El-{}", "Al {}", "El {}")
    variants = []
    for i, style in enumerate(styles):
        stem = stems[i % len(stems)]
        variants.append(style.format(stem.lower() if style == "Al{}" else stem))
    return native, variants


@dataclass(frozen=True)
class _Names:
    """One side (first or last names) of every culture: forms and where each culture's
    names start and end."""

    forms: pa.Array  # string, len(names) * FORMS, row-major
    female: Array  # bool per name (first names only)
    start: Array  # per culture
    stop: Array


@cache
def _tables() -> tuple[_Names, _Names]:
    """The name tables, built on first use (nothing happens at import)."""
    first: list[list[str]] = []
    female: list[bool] = []
    last: list[list[str]] = []
    fstart, fstop, lstart, lstop = [], [], [], []
    conventions = list(ROMANISATIONS)

    def latin(words: str) -> list[str]:
        return [w.replace("_", " ") for w in words.split()]

    for culture in CULTURES:
        fstart.append(len(first))
        lstart.append(len(last))
        if culture in ("nl", "en"):
            men, women = (NL_FIRST if culture == "nl" else EN_FIRST).split("|")
            for is_female, block in ((False, men), (True, women)):
                for name in latin(block):
                    first.append([name] * FORMS)
                    female.append(is_female)
            last += [[name] * FORMS for name in latin(NL_LAST if culture == "nl" else EN_LAST)]
        elif culture == "ru":
            men, women = RU_FIRST.split("|")
            for is_female, block in ((False, men), (True, women)):
                for name in block.split():
                    first.append([name] + [romanise(name, c) for c in conventions])
                    female.append(is_female)
            for name in RU_LAST.split():
                for form in (name, _feminine(name)):
                    last.append([form] + [romanise(form, c) for c in conventions])
        elif culture == "ar":
            men, women = AR_FIRST.split("|")
            for is_female, block in ((False, men), (True, women)):
                for spec in block.split():
                    first.append(_latin_forms(*_arabic(spec, False)))
                    female.append(is_female)
            for spec in AR_LAST.split():
                last.append(_latin_forms(*_arabic(spec.lstrip("+"), spec.startswith("+"))))
        else:
            chars = [c.split(":") for c in ZH_GIVEN.split()]
            given = [[c] for c in chars] + [[a, b] for a in chars for b in chars if a != b]
            for parts in given:
                han = "".join(p[0] for p in parts)
                syllables = [p[1] for p in parts]
                joined = "".join(syllables).capitalize()
                hyphen = "-".join(syllables).capitalize()
                spaced = " ".join(s.capitalize() for s in syllables)
                first.append([han, joined, joined, hyphen, joined, spaced])
                female.append(False)  # not used for Chinese
            for spec in ZH_LAST.split():
                han, pinyin = spec.split(":")
                last.append([han] + [pinyin.capitalize()] * (FORMS - 1))
        fstop.append(len(first))
        lstop.append(len(last))
    return (
        _Names(
            pa.array([f for row in first for f in row], pa.string()),
            np.array(female),
            np.array(fstart),
            np.array(fstop),
        ),
        _Names(
            pa.array([f for row in last for f in row], pa.string()),
            np.zeros(len(last), bool),
            np.array(lstart),
            np.array(lstop),
        ),
    )


# -- addresses and the rest ------------------------------------------------------------

STREETS = """Kerkstraat Dorpsstraat Schoolstraat Molenweg Stationsweg Julianastraat Beatrixlaan
Wilhelminastraat Nieuwstraat Hoofdstraat Marktplein Lindelaan Eikenlaan Beukenlaan
Parallelweg Industrieweg Kastanjelaan Prins_Bernhardlaan Oranjestraat Sportlaan Parkweg
Emmastraat Irenestraat Margrietstraat Vondelstraat Rembrandtlaan Dijkweg Zuiderstraat
Noorderstraat Westerstraat Oosterstraat Lange_Nieuwstraat Korte_Kerkstraat Havenstraat
Burgemeester_de_Withstraat Populierenlaan Wilgenlaan Acacialaan Meidoornstraat Rozenstraat
Tulpstraat Narcissenstraat Merelstraat Lijsterstraat Zwaluwstraat Spoorstraat Brugstraat
Kanaalweg Veldweg Zandweg Kloosterstraat Achterweg Voorstraat Middenweg Van_Goghstraat
Thorbeckestraat Hugo_de_Grootstraat Johan_de_Wittlaan Spinozastraat Erasmusweg
Koningin_Julianaweg Prinses_Irenelaan Jan_Steenstraat Frans_Halsstraat Vermeerstraat
Ruysdaelstraat Sweelinckstraat Berkenlaan Esdoornlaan Platanenlaan Iepenlaan Hazelaarstraat
Weverstraat Smidsweg Bakkerstraat Vissersdijk Molenstraat Raadhuisstraat Gasthuisstraat"""
# City and its first four postcode digits (a range).
CITIES = """Amsterdam:1011-1109 Rotterdam:3011-3089 Den_Haag:2491-2597 Utrecht:3511-3585
Eindhoven:5611-5658 Groningen:9711-9747 Tilburg:5011-5049 Almere:1311-1365 Breda:4811-4839
Nijmegen:6511-6546 Apeldoorn:7311-7339 Haarlem:2011-2037 Arnhem:6811-6846
Enschede:7511-7548 Amersfoort:3811-3829 Zwolle:8011-8045 Leiden:2311-2334
Maastricht:6211-6229 Dordrecht:3311-3329 Delft:2611-2629 Leeuwarden:8911-8941
Alkmaar:1811-1827 Deventer:7411-7429 Zaandam:1501-1509"""
# Nationalities by culture, twelve draws each (repeats are weights).
NATIONALITIES = {
    "nl": "NL NL NL NL NL NL NL NL NL NL BE DE",
    "en": "GB GB GB GB US US US IE AU CA NL NL",
    "ru": "RU RU RU RU RU UA UA BY KZ NL NL NL",
    "ar": "MA MA SY SY IQ EG TN DZ SA NL NL NL",
    "zh": "CN CN CN CN CN TW SG HK NL NL NL NL",
}
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыьэюя"
_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_ALPHABETS = {"ru": _CYRILLIC, "ar": _ARABIC}


@dataclass(frozen=True)
class Problem:
    """A linkage problem: two tables of people and the true pairs.

    ``left`` and ``right`` have the columns ``id, first_name, last_name, name,
    birth_date`` (ISO), ``nationality`` (ISO 3166 alpha-2), ``identifier`` (a
    passport-like number), ``street, house_number, postcode, city``; any but ``id`` and
    the names may be null. ``pairs`` has ``left_id, right_id, kinds`` (bits of
    :data:`KINDS`: how the right record differs) and ``culture`` (of the person's name).
    """

    left: pa.Table
    right: pa.Table
    pairs: pa.Table
    seed: int

    @cached_property
    def truth(self) -> set[tuple[str, str]]:
        """The true (left id, right id) pairs."""
        return set(
            zip(
                self.pairs.column("left_id").to_pylist(),
                self.pairs.column("right_id").to_pylist(),
                strict=True,
            )
        )

    def pairs_with(self, kinds: int) -> pa.Table:
        """The true pairs whose right record has any of the corruption bits ``kinds``."""
        mask = pc.not_equal(pc.bit_wise_and(self.pairs.column("kinds"), kinds), 0)
        return self.pairs.filter(mask)

    def cross_script(self) -> set[tuple[str, str]]:
        """The true pairs written in two scripts or two romanisations."""
        part = self.pairs_with(CROSS_SCRIPT)
        return set(
            zip(
                part.column("left_id").to_pylist(),
                part.column("right_id").to_pylist(),
                strict=True,
            )
        )

    def kind_counts(self) -> dict[str, int]:
        """How many true pairs carry each corruption kind."""
        kinds = self.pairs.column("kinds").to_numpy()
        return {name: int(np.count_nonzero(kinds & bit)) for name, bit in KINDS.items()}


def to_records(table: pa.Table, *, source: str) -> list[Any]:
    """The rows of ``table`` (a side of a :class:`Problem`) as linkage records of
    ``source`` (:class:`baken.resolve.linkage.Record`; one Python object per row, so
    this is the slow part at a million rows)."""
    from baken.resolve.linkage import Record

    address = pc.binary_join_element_wise(
        table.column("street"),
        " ",
        table.column("house_number"),
        ", ",
        table.column("postcode"),
        " ",
        table.column("city"),
        "",
    )
    columns = [
        table.column(name).to_pylist()
        for name in ("id", "name", "birth_date", "nationality", "identifier")
    ]
    return [
        Record(
            entity_id=entity_id,
            source=source,
            schema="Person",
            names=(name,),
            birth_dates=(birth,) if birth else (),
            nationalities=(nationality,) if nationality else (),
            identifiers=(identifier,) if identifier else (),
            addresses=(place,) if place else (),
        )
        for entity_id, name, birth, nationality, identifier, place in zip(
            *columns, address.to_pylist(), strict=True
        )
    ]


def generate(
    n: int, *, seed: int = 2026, cross_script: float = 0.1, unmatched: float = 0.1
) -> Problem:
    """A problem of ``n`` left and ``n`` right records.

    ``cross_script`` is the share of true pairs whose names are written in two scripts
    or romanised differently (at most :data:`MAX_CROSS_SCRIPT`); ``unmatched`` the
    share of each side's records with no counterpart on the other side.
    """
    if n <= 0:
        raise ValueError(f"n must be positive, not {n}")
    if not 0 <= cross_script <= MAX_CROSS_SCRIPT:
        raise ValueError(f"cross_script must lie in [0, {MAX_CROSS_SCRIPT}]")
    if not 0 <= unmatched < 1:
        raise ValueError("unmatched must lie in [0, 1)")
    rng = np.random.default_rng(seed)
    only = round(n * unmatched)
    matched = n - only
    people = _people(n + only, rng)  # 0..n-1 on the left, n.. only on the right
    chosen = np.sort(rng.permutation(n)[:matched])
    source = np.concatenate([chosen, np.arange(n, n + only)])
    right = {key: value[source] for key, value in people.items()}  # a copy
    kinds = _corrupt(right, matched, cross_script, rng)
    order = rng.permutation(n)  # right row r holds source row order[r]
    right = {key: value[order] for key, value in right.items()}
    kinds = kinds[order]

    left_table = _table({key: value[:n] for key, value in people.items()}, "l", rng)
    right_table = _table(right, "r", rng)
    is_pair = order < matched
    right_rows = np.flatnonzero(is_pair)
    left_rows = chosen[order[right_rows]]
    pairs = pa.table(
        {
            "left_id": left_table.column("id").take(pa.array(left_rows)),
            "right_id": right_table.column("id").take(pa.array(right_rows)),
            "kinds": pa.array(kinds[right_rows], pa.uint16()),
            "culture": pa.array(np.array(CULTURES)[right["culture"][right_rows]]),
        }
    )
    return Problem(left=left_table, right=right_table, pairs=pairs, seed=seed)


def _people(count: int, rng: np.random.Generator) -> dict[str, Array]:
    first, last = _tables()
    culture = rng.choice(len(CULTURES), size=count, p=CULTURE_SHARES).astype(np.int8)
    u = rng.random((count, 2))
    span = first.stop[culture] - first.start[culture]
    first_idx = first.start[culture] + (u[:, 0] * span).astype(np.int64)
    female = first.female[first_idx]
    ru = CULTURES.index("ru")
    lspan = last.stop[culture] - last.start[culture]
    pick = (u[:, 1] * lspan).astype(np.int64)
    # Russian surnames come in (masculine, feminine) pairs.
    pick = np.where(culture == ru, pick - pick % 2 + female, pick)
    last_idx = last.start[culture] + pick
    foreign = np.isin(culture, [CULTURES.index(c) for c in FOREIGN])
    native = foreign & (rng.random(count) < NATIVE_SHARE)
    form = np.where(native, 0, rng.integers(1, FORMS, count))
    nationality = rng.integers(0, 12, count)
    passport = rng.integers(0, 36, (count, 9), dtype=np.uint8)
    return {
        "culture": culture,
        "first": first_idx,
        "last": last_idx,
        "form": form,
        "first_form": form.copy(),
        "last_form": form.copy(),
        "birth": rng.integers(FIRST_DAY, LAST_DAY + 1, count),
        "nationality": nationality,
        "passport": passport,
        **_addresses(count, rng),
        "swap": np.zeros(count, bool),
        "no_birth": np.zeros(count, bool),
        "no_nationality": np.zeros(count, bool),
        "no_address": np.zeros(count, bool),
    }


def _addresses(count: int, rng: np.random.Generator) -> dict[str, Array]:
    cities = CITIES.split()
    low = np.array([int(c.split(":")[1].split("-")[0]) for c in cities])
    high = np.array([int(c.split("-")[1]) for c in cities])
    city = rng.integers(0, len(cities), count)
    return {
        "street": rng.integers(0, len(STREETS.split()), count),
        "house": rng.integers(1, 251, count),
        "suffix": rng.random(count) < 0.1,
        "city": city,
        "pc_digits": low[city] + (rng.random(count) * (high[city] - low[city] + 1)).astype(int),
        "pc_letters": rng.integers(0, 26, (count, 2), dtype=np.uint8),
    }


def _corrupt(
    right: dict[str, Array], matched: int, cross_script: float, rng: np.random.Generator
) -> Array:
    """Corrupt the first ``matched`` rows of ``right`` in place; return their kinds."""
    count = len(right["culture"])
    kinds = np.zeros(count, np.uint16)
    is_match = np.arange(count) < matched
    draws = rng.random((count, 5))

    # Scripts first: the later typos land on the name as the right side writes it.
    foreign_codes = [CULTURES.index(c) for c in sorted(FOREIGN)]
    foreign = np.flatnonzero(is_match & np.isin(right["culture"], foreign_codes))
    wanted = round(cross_script * matched)
    if wanted > len(foreign):
        raise ValueError("too few foreign-script people for this cross_script share")
    cross = np.sort(rng.permutation(foreign)[:wanted])
    form = right["form"][cross]
    to_native = (form != 0) & (rng.random(len(cross)) < 0.6)
    to_native |= right["culture"][cross] == CULTURES.index("zh")  # pinyin styles: not real
    other = (form - 1 + rng.integers(1, FORMS - 1, len(cross))) % (FORMS - 1) + 1
    new = np.where(form == 0, rng.integers(1, FORMS, len(cross)), np.where(to_native, 0, other))
    first, last = _tables()
    same = (
        (first.forms.take(pa.array(right["first"][cross] * FORMS + form)).to_numpy(False))
        == first.forms.take(pa.array(right["first"][cross] * FORMS + new)).to_numpy(False)
    ) & (
        last.forms.take(pa.array(right["last"][cross] * FORMS + form)).to_numpy(False)
        == last.forms.take(pa.array(right["last"][cross] * FORMS + new)).to_numpy(False)
    )
    new = np.where(same, 0, new)  # no other romanisation: the native script
    right["first_form"][cross] = new
    right["last_form"][cross] = new
    kinds[cross] |= np.where((form == 0) != (new == 0), SCRIPT, ROMANISATION).astype(np.uint16)

    moved = np.flatnonzero(is_match & (draws[:, 0] < RATES["moved"]))
    for key, values in _addresses(len(moved), rng).items():
        right[key][moved] = values
    kinds[moved] |= MOVED

    dated = np.flatnonzero(is_match & (draws[:, 1] < RATES["date"]))
    right["birth"][dated] = _date_typos(right["birth"][dated], rng)
    kinds[dated] |= DATE

    hanzi = (right["culture"] == CULTURES.index("zh")) & (right["first_form"] == 0)
    swapped = is_match & (draws[:, 2] < RATES["swap"]) & ~hanzi
    rows = np.flatnonzero(swapped)
    given = first.forms.take(pa.array(right["first"][rows] * FORMS + right["first_form"][rows]))
    family = last.forms.take(pa.array(right["last"][rows] * FORMS + right["last_form"][rows]))
    swapped[rows[pc.equal(given, family).to_numpy(False)]] = False  # Mansur Mansur
    right["swap"] |= swapped
    kinds[swapped] |= SWAP

    missing = np.flatnonzero(is_match & (draws[:, 3] < RATES["missing"]))
    which = rng.choice(3, size=len(missing), p=list(MISSING_SHARES.values()))
    for field, bit, number in (
        ("no_birth", MISSING_BIRTH_DATE, 0),
        ("no_nationality", MISSING_NATIONALITY, 1),
        ("no_address", MISSING_ADDRESS, 2),
    ):
        rows = missing[which == number]
        right[field][rows] = True
        kinds[rows] |= bit
    # A change nobody can see is no corruption.
    kinds[right["no_birth"]] &= np.uint16(~DATE & 0xFFFF)
    kinds[right["no_address"]] &= np.uint16(~MOVED & 0xFFFF)

    typo = is_match & (draws[:, 4] < RATES["typo"]) & ~hanzi
    right["typo"] = typo
    kinds[typo] |= TYPO
    return kinds


def _date_typos(days: Array, rng: np.random.Generator) -> Array:
    """Each date with one slip: day and month swapped (where that makes another date),
    or one digit of the year's last two, the month or the day typed wrong (into a valid
    date, not after 2025)."""
    swap = rng.random(len(days)) < 0.5
    order = rng.permuted(np.tile(np.array([2, 3, 5, 6, 8, 9]), (len(days), 1)), axis=1)
    offsets = rng.integers(1, 10, (len(days), 6))
    out = []
    for value, swapped, positions, steps in zip(
        days.astype("datetime64[D]").astype(str), swap, order, offsets, strict=True
    ):
        year, month, day = value[:4], value[5:7], value[8:]
        if swapped and int(day) <= 12 and day != month:
            out.append(f"{year}-{day}-{month}")
            continue
        for position, step in zip(positions, steps, strict=True):
            typed = value[:position] + str((int(value[position]) + step) % 10)
            typed += value[position + 1 :]
            if _valid(typed):
                out.append(typed)
                break
        else:  # no digit gives a valid date (rare): the day and month swapped after all
            out.append(f"{year}-{day}-{month}" if int(day) <= 12 else f"{year}-{month}-01")
    return np.array(out, "datetime64[D]").astype(np.int64)


def _valid(iso: str) -> bool:
    year, month, day = int(iso[:4]), int(iso[5:7]), int(iso[8:])
    if not (1900 <= year <= 2025 and 1 <= month <= 12 and day >= 1):
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _typo(word: str, draws: Array, alphabet: str) -> str:
    """One edit of ``word``, chosen by four uniform ``draws``, with letters of
    ``alphabet``."""
    op = int(draws[0] * 4)
    pos = int(draws[1] * len(word))
    char = alphabet[int(draws[2] * len(alphabet))]
    if op == 0:  # insert
        out = word[:pos] + char + word[pos:]
    elif op == 1 and len(word) > 2:  # delete
        out = word[:pos] + word[pos + 1 :]
    elif op == 2 and pos + 1 < len(word) and word[pos] != word[pos + 1]:  # transpose
        out = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    else:  # substitute
        out = word[:pos] + char + word[pos + 1 :]
    if word[:1].isupper():
        out = out[:1].upper() + out[1:]
    return out if out != word else word + char


def _typos(
    first: pa.Array, last: pa.Array, people: dict[str, Array], rng: np.random.Generator
) -> tuple[pa.Array, pa.Array]:
    """``first`` and ``last`` with one slip (now and then two) in one of them, on the
    rows marked ``typo``."""
    rows = np.flatnonzero(people["typo"])
    draws = rng.random((len(rows), 6))
    native = people["first_form"][rows] == 0
    culture = people["culture"][rows]
    in_first = draws[:, 4] < 0.5
    out = []
    for column, chosen in ((first, in_first), (last, ~in_first)):
        subset = rows[chosen]
        words = column.take(pa.array(subset)).to_pylist()
        scripts = np.where(native[chosen], culture[chosen], 0)
        changed = []
        for word, d, script in zip(words, draws[chosen], scripts, strict=True):
            alphabet = _ALPHABETS.get(CULTURES[script], _LATIN)
            once = _typo(word, d, alphabet)
            twice = _typo(once, d[[1, 2, 0, 3]], alphabet) if d[5] < 0.1 else once
            changed.append(once if twice == word else twice)
        mask = np.zeros(len(column), bool)
        mask[subset] = True
        out.append(pc.replace_with_mask(column, pa.array(mask), pa.array(changed, pa.string())))
    return out[0], out[1]


def _table(people: dict[str, Array], prefix: str, rng: np.random.Generator) -> pa.Table:
    first_names, last_names = _tables()
    count = len(people["culture"])
    culture = people["culture"]
    first = first_names.forms.take(pa.array(people["first"] * FORMS + people["first_form"]))
    last = last_names.forms.take(pa.array(people["last"] * FORMS + people["last_form"]))
    if "typo" in people:
        first, last = _typos(first, last, people, rng)
    swap = pa.array(people["swap"])
    first, last = pc.if_else(swap, last, first), pc.if_else(swap, first, last)
    zh = culture == CULTURES.index("zh")
    hanzi = pa.array(zh & (people["first_form"] == 0))
    name = pc.if_else(
        hanzi,
        pc.binary_join_element_wise(last, first, ""),
        pc.if_else(
            pa.array(zh),
            pc.binary_join_element_wise(last, first, " "),
            pc.binary_join_element_wise(first, last, " "),
        ),
    )
    birth = pa.array(people["birth"].astype("datetime64[D]")).cast(pa.string())
    nationalities = pa.array([code for c in CULTURES for code in NATIONALITIES[c].split()])
    nationality = nationalities.take(
        pa.array(culture.astype(np.int64) * 12 + people["nationality"])
    )
    passport = people["passport"]
    codes = np.where(passport < 10, passport + 48, passport - 10 + 65).astype(np.uint8)
    codes[:, :2] = passport[:, :2] % 26 + 65  # two letters first, a check digit last
    codes[:, 8] = passport[:, 8] % 10 + 48
    identifier = pa.array(codes.view("S9").ravel()).cast(pa.string())
    has_identifier = rng.random(count) < IDENTIFIER_SHARE

    streets = pa.array([s.replace("_", " ") for s in STREETS.split()])
    cities = pa.array([c.split(":")[0].replace("_", " ") for c in CITIES.split()])
    digits = people["pc_digits"]
    postcode = np.zeros((count, 7), np.uint8)
    for i, power in enumerate((1000, 100, 10, 1)):
        postcode[:, i] = digits // power % 10 + 48
    postcode[:, 4] = 32
    postcode[:, 5:] = people["pc_letters"] + 65
    house = pa.array(people["house"]).cast(pa.string())
    house = pc.if_else(
        pa.array(people["suffix"]), pc.binary_join_element_wise(house, "A", ""), house
    )
    no_address = pa.array(people["no_address"])

    def unless(mask: Array | pa.Array, values: pa.Array) -> pa.Array:
        return pc.if_else(mask, pa.nulls(count, values.type), values)

    ids = pc.binary_join_element_wise(prefix, pa.array(np.arange(count)).cast(pa.string()), "")
    return pa.table(
        {
            "id": ids,
            "first_name": first,
            "last_name": last,
            "name": name,
            "birth_date": unless(pa.array(people["no_birth"]), birth),
            "nationality": unless(pa.array(people["no_nationality"]), nationality),
            "identifier": unless(pa.array(~has_identifier), identifier),
            "street": unless(no_address, streets.take(pa.array(people["street"]))),
            "house_number": unless(no_address, house),
            "postcode": unless(no_address, pa.array(postcode.view("S7").ravel()).cast(pa.string())),
            "city": unless(no_address, cities.take(pa.array(people["city"]))),
        }
    )


__all__ = ["CROSS_SCRIPT", "KINDS", "Problem", "generate", "romanise", "to_records"]
