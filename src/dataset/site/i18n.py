"""The words of the website that are not data, in English and Russian, and dates as published.

Vocabulary labels (event types, figure measures, date qualifiers) come from `dataset.timeline`,
so the picture and the site say the same thing; this module holds only the page words.
"""

from __future__ import annotations

from ..timeline import LANGS, vocabulary_label

__all__ = ["LANGS", "MONTHS", "RU_MONTH_CASE", "UI", "date_words", "month_words", "other_lang"]

#: Month names by form. English: long, short. Russian: nominative, genitive (also after a
#: day: `21 ноября`), instrumental (after `между`).
MONTHS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "long": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        "short": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    },
    "ru": {
        "long": (
            "январь",
            "февраль",
            "март",
            "апрель",
            "май",
            "июнь",
            "июль",
            "август",
            "сентябрь",
            "октябрь",
            "ноябрь",
            "декабрь",
        ),
        "short": (
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ),
        "genitive": (
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ),
        "instrumental": (
            "январём",
            "февралём",
            "мартом",
            "апрелем",
            "маем",
            "июнем",
            "июлем",
            "августом",
            "сентябрём",
            "октябрём",
            "ноябрём",
            "декабрём",
        ),
    },
}

#: The case a Russian month name takes in each slot of a date qualifier's words
#: (`с мая … по август`, `между маем и августом`, `не позднее мая`); `on` keeps the nominative.
RU_MONTH_CASE: dict[str, tuple[str, str]] = {
    "span": ("genitive", "long"),
    "between": ("instrumental", "instrumental"),
    "not-before": ("genitive", "genitive"),
    "not-after": ("genitive", "genitive"),
    "around": ("genitive", "genitive"),
}

UI: dict[str, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "site_title": "Russia–Azerbaijan crisis 2025–26",
        "skip": "Skip to content",
        "nav_story": "The story",
        "nav_timeline": "Timeline",
        "nav_people": "People",
        "nav_sources": "Sources",
        "nav_tables": "Tables",
        "nav_downloads": "Downloads",
        "other_lang": "Русская версия",
        "held_now": "Held now",
        "held_lead": "According to the latest source that counts them",
        "held_since": "Detained",
        "held_earlier": "Earlier counts",
        "released": "Released",
        "no_held": "No source in the data counts the people held.",
        "key_figures": "Key figures",
        "chronology": "Chronology",
        "figure": "Figure",
        "counted": "What is counted",
        "date": "Date",
        "source": "Source",
        "sources": "Sources",
        "evidence": "Evidence",
        "see_passage": "passage",
        "summaries_in_en": "",
        "timeline_title": "Timeline of events",
        "timeline_lead": "Every event in the data, by date as published, grouped by month.",
        "people_title": "People",
        "person_path": "Path",
        "standing": "Where this person stands",
        "standing_held": "Held",
        "standing_released": "Released",
        "standing_dead": "Died in custody",
        "standing_unknown": "Unknown: a later source mentions them without saying they are still held",
        "standing_since": "since",
        "standing_as_of": "As of the latest source that mentions them,",
        "standing_per": "per",
        "person_said": "What they said",
        "person_nothing_said": "No statement by this person in the data.",
        "person_no_events": "No event in the data names this person.",
        "role": "Role",
        "country": "Country",
        "place": "Place",
        "about": "About",
        "statement_by": "Said by",
        "quote": "Quote",
        "reported": "reported speech",
        "direct": "direct quote",
        "our_translation": "our translation",
        "sources_title": "Sources: the archived articles",
        "source_lead": "The archived text, unchanged. Every passage that a row of the data quotes is highlighted and links to its rows.",
        "source_rights": "Rights",
        "publisher": "Publisher",
        "published": "Published",
        "not_dated": "no date printed",
        "unnamed_publisher": "publisher not named",
        "no_title": "(no headline printed)",
        "quoted_by": "Quoted by",
        "passages": "Highlighted passages",
        "not_found": "Not found in this article",
        "tables_title": "The tables",
        "tables_lead": "Every table of the data package. Click a column heading to sort; type to search (Russian and English); pick a value to filter.",
        "search": "Search",
        "filter_all": "all",
        "rows_shown": "rows shown",
        "downloads_title": "Downloads",
        "downloads_lead": "The same data in four forms. Check a file with its SHA-256 checksum.",
        "file": "File",
        "format": "Format",
        "size": "Size",
        "sha256": "SHA-256",
        "dl_csv": "The six tables as CSV files (zip)",
        "dl_xlsx": "Excel workbook: one sheet per table and a sheet describing every field",
        "dl_sqlite": "SQLite database with full-text search",
        "dl_package": "The Frictionless Data Package: datapackage.json, the CSV tables and the archived articles (zip)",
        "version": "Version",
        "licence": "Licence",
        "cite": "How to cite",
        "cite_bibtex": "BibTeX",
        "built_from": "Generated from the data package by",
        "events": "Events",
        "statements": "Statements",
        "figures": "Figures",
        "none": "—",
    },
    "ru": {
        "lang_name": "Русский",
        "site_title": "Кризис в отношениях России и Азербайджана, 2025–26",
        "skip": "К содержанию",
        "nav_story": "Что произошло",
        "nav_timeline": "Хронология",
        "nav_people": "Люди",
        "nav_sources": "Источники",
        "nav_tables": "Таблицы",
        "nav_downloads": "Скачать",
        "other_lang": "English version",
        "held_now": "Под стражей сейчас",
        "held_lead": "По последнему источнику, который называет их число",
        "held_since": "Задержаны",
        "held_earlier": "Более ранние данные",
        "released": "Освобождены",
        "no_held": "Ни один источник в данных не называет число задержанных.",
        "key_figures": "Ключевые числа",
        "chronology": "Хронология",
        "figure": "Число",
        "counted": "Что посчитано",
        "date": "Дата",
        "source": "Источник",
        "sources": "Источники",
        "evidence": "Цитата из источника",
        "see_passage": "фрагмент",
        "summaries_in_en": "Описания событий, места и роли пока есть только на английском; цитаты приводятся на языке источника.",
        "timeline_title": "Хронология событий",
        "timeline_lead": "Все события из данных по датам, как они опубликованы, по месяцам.",
        "people_title": "Люди",
        "person_path": "Что с ним происходило",
        "standing": "Положение сейчас",
        "standing_held": "Под стражей",
        "standing_released": "Освобождён",
        "standing_dead": "Умер под стражей",
        "standing_unknown": "Неизвестно: более поздний источник упоминает его, не говоря, что он всё ещё под стражей",
        "standing_since": "с",
        "standing_as_of": "По последнему упоминающему его источнику,",
        "standing_per": "по данным",
        "person_said": "Что он сказал",
        "person_nothing_said": "В данных нет его высказываний.",
        "person_no_events": "Ни одно событие в данных не называет этого человека.",
        "role": "Роль",
        "country": "Страна",
        "place": "Место",
        "about": "О ком и о чём",
        "statement_by": "Кто сказал",
        "quote": "Цитата",
        "reported": "косвенная речь",
        "direct": "прямая цитата",
        "our_translation": "наш перевод",
        "sources_title": "Источники: архивные статьи",
        "source_lead": "Архивный текст без изменений. Каждый фрагмент, который цитирует строка данных, выделен и ведёт к этим строкам.",
        "source_rights": "Права",
        "publisher": "Издатель",
        "published": "Опубликовано",
        "not_dated": "дата не указана",
        "unnamed_publisher": "издатель не назван",
        "no_title": "(без заголовка)",
        "quoted_by": "Цитируется в",
        "passages": "Выделенные фрагменты",
        "not_found": "Не найдено в этой статье",
        "tables_title": "Таблицы",
        "tables_lead": "Все таблицы пакета данных. Нажмите на заголовок столбца, чтобы отсортировать; введите слово для поиска (по-русски или по-английски); выберите значение для фильтра.",
        "search": "Поиск",
        "filter_all": "все",
        "rows_shown": "строк показано",
        "downloads_title": "Скачать данные",
        "downloads_lead": "Одни и те же данные в четырёх форматах. Контрольная сумма SHA-256 позволяет проверить файл.",
        "file": "Файл",
        "format": "Формат",
        "size": "Размер",
        "sha256": "SHA-256",
        "dl_csv": "Шесть таблиц в формате CSV (zip)",
        "dl_xlsx": "Книга Excel: по листу на таблицу и лист с описанием полей",
        "dl_sqlite": "База данных SQLite с полнотекстовым поиском",
        "dl_package": "Пакет данных Frictionless: datapackage.json, таблицы CSV и архивные статьи (zip)",
        "version": "Версия",
        "licence": "Лицензия",
        "cite": "Как цитировать",
        "cite_bibtex": "BibTeX",
        "built_from": "Создано из пакета данных командой",
        "events": "События",
        "statements": "Высказывания",
        "figures": "Числа",
        "none": "—",
    },
}


def other_lang(lang: str) -> str:
    """The language of the counterpart page."""
    return LANGS[1 - LANGS.index(lang)]


def month_words(month: str, lang: str) -> str:
    """`2025-05` as a month heading: `May 2025`, `май 2025`; a bare year stays as it is."""
    if len(month) < 7:
        return month
    return month_words_in(month, lang, "long")


def month_words_in(month: str, lang: str, form: str) -> str:
    """`2025-05` with the month name in FORM (a key of MONTHS[lang]; `long` if the language lacks it)."""
    names = MONTHS[lang].get(form) or MONTHS[lang]["long"]
    return f"{names[int(month[5:7]) - 1]} {month[:4]}"


def _one_date(text: str, precision: str, lang: str, form: str = "long") -> str:
    """A single partial ISO date in words at its own precision (`21 Nov 2025`, `May 2025`, `2025`)."""
    if precision == "year" or len(text) == 4:
        return text[:4]
    if precision == "month" or len(text) == 7:
        return month_words_in(text[:7], lang, form)
    month = int(text[5:7]) - 1
    return f"{int(text[8:10])} {MONTHS[lang]['short'][month]} {text[:4]}"


def date_words(
    date: str, precision: str = "", end_date: str = "", qualifier: str = "on", lang: str = "en"
) -> str:
    """The date of a row as published, in words: `May 2025`, `not after 21 Nov 2025`,
    `between 30 Jun 2025 and 1 Jul 2025`. The qualifier's words come from the timeline's
    vocabulary, so both say the same; each date is shown at its own precision, never padded."""
    if not date:
        return ""
    forms = RU_MONTH_CASE.get(qualifier, ("long", "long")) if lang == "ru" else ("long", "long")
    start = _one_date(date, precision, lang, forms[0])
    end = _one_date(end_date, "", lang, forms[1]) if end_date else start
    pattern = vocabulary_label("events", "date_qualifier", qualifier or "on", lang)
    if "{" not in pattern:
        return f"{qualifier} {start}" + (f" – {end}" if end_date else "")
    return pattern.format(date=start, end=end)
