"""The lv and ru catalogs use one word for each glossary term (/work/shared/glossary.md), Latvian
quotation marks in Latvian, and none of the clumsy lines residents complained about (issue 18)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.resources import locales_dir

TAG = re.compile(r"<[^>]*>")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
COMMAND = re.compile(r"/[a-z_]+")


def _catalog(language: str) -> Catalog:
    with (locales_dir() / language / "LC_MESSAGES" / "villagebot.po").open("rb") as po:
        return read_po(po, locale=language)


CATALOGS = {language: _catalog(language) for language in ("lv", "ru")}


def _forms(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _entries(language: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """(key, English forms with placeholders and commands taken out, translated forms)."""
    for entry in CATALOGS[language]:
        if not entry.id:
            continue
        english = [COMMAND.sub(" ", PLACEHOLDER.sub(" ", form)) for form in _forms(entry.id)]
        yield _forms(entry.id)[0], english, _forms(entry.string)


# An English term (a regular expression over the msgid, case-sensitive unless it says (?i)),
# then the stems its lv and its ru translation must contain: any one of them, case-insensitive.
TERMS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (r"\bSWOT\b", ("svid",), ("swot",)),
    (r"(?i)\bsmall victor", ("uzvar",), ("побед",)),
    (r"(?i)\bworking group", ("darba grup",), ("рабоч",)),
    (r"\b[Ll]eaders?\b", ("līder",), ("лидер",)),
    (r"(?i)\bresidents?\b", ("iedzīvotāj",), ("жител",)),
    (r"(?i)\bpolls?\b", ("aptauj",), ("опрос",)),
    # A meeting's answers are answers to its invitation.
    (r"(?i)\bmeetings?\b", ("sanāksm", "ielūgum"), ("встреч", "приглашени")),
    (r"(?i)\bdevelopment plan", ("attīstības plān",), ("развити",)),
    (r"(?i)\bvision\b", ("vīzij",), ("видени",)),
    (r"(?i)\bround", ("kārt",), ("этап",)),
    (r"(?i)(?<!took )\bparts?\b", ("daļ",), ("част",)),
    (r"(?i)\barea", ("jom",), ("сфер",)),
    (r"^Progress\b", ("izpild",), ("выполнен",)),
    (r"(?i)\boptions?\b", ("variant",), ("вариант",)),
    (r"(?i)\bdecisions?\b", ("lēmum",), ("решени",)),
    (r"(?i)\bideas?\b", ("idej",), ("иде",)),
    (r"(?i)\bsupport", ("atbalst",), ("поддерж",)),
    (r"(?i)\bvotes?\b|\bvoted\b|\bvoting\b", ("bals",), ("голос",)),
    (r"(?i)\branked by agreement", ("piekrišan",), ("согласи",)),
    (r"(?i)\bRSVP", ("ielūgum",), ("приглашени",)),
]

# The other words for the same things, which the catalogs no longer use.
FORBIDDEN = {
    "lv": [
        r"\bSWOT\b",
        r"(?i)vienprātīb",
        r"(?i)sadaļ",
        r"(?i)progres",
        r"(?i)vadītāj",
        r"(?i)\bsapulc",
    ],
    "ru": [
        r"(?i)раунд",
        r"(?i)област",
        r"(?i)раздел",
        r"(?i)прогресс",
        r"(?i)небольш",
        r"(?i)\bSVID\b",
        r"(?i)собрани",
        r"(?i)руководител",
    ],
}

# Whole labels of the glossary: statuses, areas, RSVP answers, SWOT parts, plan parts.
LABELS: dict[str, tuple[str, str]] = {
    "New": ("Jauna", "Новая"),
    "In discussion": ("Apspriešanā", "Обсуждается"),
    "Accepted": ("Pieņemta", "Принята"),
    "In progress": ("Tiek īstenota", "Выполняется"),
    "Done": ("Īstenota", "Выполнена"),
    "Rejected": ("Noraidīta", "Отклонена"),
    "Economy": ("Ekonomika", "Экономика"),
    "Infrastructure and services": ("Infrastruktūra un pakalpojumi", "Инфраструктура и услуги"),
    "Governance": ("Pārvaldība", "Управление"),
    "Community and culture": ("Kopiena un kultūra", "Сообщество и культура"),
    "Environment and energy": ("Vide un enerģija", "Окружающая среда и энергия"),
    "Other": ("Cits", "Другое"),
    "Going": ("Piedalīšos", "Приду"),
    "Maybe": ("Varbūt", "Может быть"),
    "Can't": ("Nevarēšu", "Не смогу"),
    "✅ Going · {count}": ("✅ Piedalīšos · {count}", "✅ Приду · {count}"),
    "🤔 Maybe · {count}": ("🤔 Varbūt · {count}", "🤔 Может быть · {count}"),
    "❌ Can't · {count}": ("❌ Nevarēšu · {count}", "❌ Не смогу · {count}"),
    "Strengths": ("Stiprās puses", "Сильные стороны"),
    "Weaknesses": ("Vājās puses", "Слабые стороны"),
    "Opportunities": ("Iespējas", "Возможности"),
    "Threats": ("Draudi", "Угрозы"),
    "Current situation analysis": ("Pašreizējās situācijas analīze", "Анализ текущей ситуации"),
    "Vision and goals": ("Vīzija un mērķi", "Видение и цели"),
    "Strategy and action plan": ("Stratēģija un rīcības plāns", "Стратегия и план действий"),
    "Measurement and evaluation": ("Izmērīšana un novērtēšana", "Измерение и оценка"),
    "Budget and funding sources": (
        "Budžets un finansēšanas avoti",
        "Бюджет и источники финансирования",
    ),
    "Public communication": ("Sabiedriskā saziņa un komunikācija", "Общественная коммуникация"),
    "Timeline and monitoring": (
        "Laika grafiks un izpildes uzraudzība",
        "График и контроль выполнения",
    ),
    "Review and adaptation": ("Pārskatīšana un pielāgošana", "Пересмотр и адаптация"),
    "Agree": ("Piekrīt", "Согласен(на)"),
    "Disagree": ("Nepiekrīt", "Не согласен(на)"),
    "👍 Agree": ("👍 Piekrītu", "👍 Согласен(на)"),
    "👎 Disagree": ("👎 Nepiekrītu", "👎 Не согласен(на)"),
    "Deadline: none": ("Termiņš: nav", "Срок: нет"),
    "Answers: one": ("Izvēle: viena atbilde", "Выбор: один ответ"),
    "Answers: several": ("Izvēle: vairākas atbildes", "Выбор: несколько ответов"),
}

# Lines residents found clumsy, and their kind (wrong number of "jūs", calques, missing commas).
CLUMSY = {
    "lv": [
        r"savas vietā",
        r"Tā izskatās pēc",
        r"Pievienot draudu\b",
        r"paziņoja mazo",
        r"\besat \w+(is|jis)\b",
        r"\bneesat \w+(is|jis)\b",
        r"Vai tomēr iesniedziet savu\.",
        r"“Sākt”|„Sākt”",
    ],
    "ru": [
        r"буду знать вас",
        r"Этот месяц в",
        r"Эта неделя в",
        r"Ответы на встречи|ответ\w* на встреч",
        # "например" inside a sentence follows a comma, a colon or a bracket.
        r"[^\s,:(]\s+например\b",
        r"“",
    ],
}


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_each_glossary_term_has_one_translation(language: str) -> None:
    column = 0 if language == "lv" else 1
    wrong = []
    for key, english, translated in _entries(language):
        for pattern, *stems in TERMS:
            if any(re.search(pattern, form) for form in english):
                wanted = stems[column]
                for form in translated:
                    if not any(stem in form.lower() for stem in wanted):
                        wrong.append((pattern, key, form))
    assert not wrong, "\n".join(f"{p}: {k!r} → {f!r}" for p, k, f in wrong)


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_no_other_word_for_a_glossary_term(language: str) -> None:
    wrong = [
        (pattern, form)
        for _key, _english, translated in _entries(language)
        for form in translated
        for pattern in FORBIDDEN[language]
        if re.search(pattern, COMMAND.sub(" ", TAG.sub("", form)))
    ]
    assert not wrong, "\n".join(f"{p}: {f!r}" for p, f in wrong)


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_glossary_labels(language: str) -> None:
    column = 0 if language == "lv" else 1
    catalog = CATALOGS[language]
    wrong = {}
    for english, translations in LABELS.items():
        entry = catalog.get(english)
        assert entry is not None, english
        if entry.string != translations[column]:
            wrong[english] = entry.string
    assert not wrong, wrong


def test_latvian_quotation_marks() -> None:
    """„…” in Latvian: neither “…” nor straight quotes (those inside HTML tags are not text)."""
    wrong = [
        form
        for _key, _english, translated in _entries("lv")
        for form in translated
        if "“" in form or '"' in TAG.sub("", form)
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_no_clumsy_lines(language: str) -> None:
    wrong = [
        (pattern, form)
        for _key, _english, translated in _entries(language)
        for form in translated
        for pattern in CLUMSY[language]
        if re.search(pattern, form)
    ]
    assert not wrong, "\n".join(f"{p}: {f!r}" for p, f in wrong)
