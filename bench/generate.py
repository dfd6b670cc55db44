"""Write a synthetic data package of any size with this project's own descriptor, for the benchmark.

The package has the repository's `datapackage.json` unchanged (every table, field, vocabulary,
key, list field and `x-verbatim-in` rule), archived source texts in `seeds/` with their real
sha256 in `sources.csv`, and as many rows in events and statements as asked (figures get half
as many; persons and organizations a few hundred). Every row is valid: ids are unique, foreign
keys and list items exist, excerpts are cut from the archived text of the source they cite,
dates never fall after the publication of a cited source, releases follow detentions. 60% of
the articles are Russian and 85% of the rows take their evidence from one, so most of the free
text is Cyrillic.

`--faults N` then breaks N cells in known ways (a dangling reference, a vocabulary typo, an
edited excerpt, a duplicated id, a zero-width space, a ragged row) and writes what a validator
must report to `faults.json`: file, spreadsheet row, column, rule, and the frictionless error
types that show the same fault where frictionless can see it.

The big tables are built column by column with numpy and pyarrow.compute and written as CSV
without a Python loop per row, so 1M rows take seconds, not minutes. The same --seed gives the
same bytes.

    python bench/generate.py OUT --rows 100000 --seed 1 --faults 12
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))  # the stdlib-only descriptor reader, also without an install

from dataset.descriptor import Descriptor, Table, read_descriptor  # noqa: E402

EPOCH = date(1970, 1, 1)
#: Every generated date lies after this day; the first events (one detention per person) before it.
FIRST_DAY = (date(2024, 2, 1) - EPOCH).days
DETENTION_DAYS = ((date(2024, 1, 1) - EPOCH).days, (date(2024, 1, 31) - EPOCH).days)
#: Sources are published in this window.
PUBLISHED = ((date(2025, 1, 15) - EPOCH).days, (date(2026, 6, 30) - EPOCH).days)
FAULT_KINDS = (
    "dangling-fk",
    "enum-typo",
    "edited-excerpt",
    "duplicate-id",
    "zero-width-space",
    "ragged-row",
)
ZWSP = "\u200b"
#: Other names `dataset validate` has used for a rule; a report under one of them still counts.
RULE_ALIASES = {"unique": ("field-uniqueness", "primary-key")}
#: Share of the rows whose evidence comes from a Russian article (Cyrillic text).
RUSSIAN_ROWS = 0.85

# Names for persons, as (Cyrillic, Latin) pairs: the Latin is a BGN/PCGN-style transliteration.
SURNAMES = [
    ("Иванов", "Ivanov"), ("Петров", "Petrov"), ("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"),
    ("Попов", "Popov"), ("Соколов", "Sokolov"), ("Лебедев", "Lebedev"), ("Козлов", "Kozlov"),
    ("Новиков", "Novikov"), ("Морозов", "Morozov"), ("Волков", "Volkov"), ("Алексеев", "Alekseyev"),
    ("Мамедов", "Mamedov"), ("Алиев", "Aliyev"), ("Гасанов", "Gasanov"), ("Гусейнов", "Guseynov"),
    ("Исмаилов", "Ismailov"), ("Керимов", "Kerimov"), ("Сафаров", "Safarov"), ("Рзаев", "Rzayev"),
    ("Белоусов", "Belousov"), ("Картавых", "Kartavykh"), ("Галузин", "Galuzin"), ("Захарова", "Zakharova"),
    ("Мустафаев", "Mustafayev"), ("Орлов", "Orlov"), ("Фролов", "Frolov"), ("Зайцев", "Zaytsev"),
]  # fmt: skip
GIVEN = [
    ("Сергей", "Sergey"), ("Алексей", "Aleksey"), ("Игорь", "Igor"), ("Евгений", "Yevgeny"),
    ("Михаил", "Mikhail"), ("Мария", "Mariya"), ("Анна", "Anna"), ("Ильхам", "Ilham"),
    ("Рахман", "Rakhman"), ("Зияддин", "Ziyaddin"), ("Гусейн", "Guseyn"), ("Эльчин", "Elchin"),
    ("Дмитрий", "Dmitriy"), ("Ольга", "Olga"), ("Тимур", "Timur"), ("Лейла", "Leyla"),
]  # fmt: skip
PUBLISHERS = [
    ("TASS", "dateline"), ("news.ru", "site notice"), ("AP Insight", "byline"), ("Interfax", "dateline"),
    ("Kommersant", "byline"), ("Turan", "dateline"), ("Report.az", "site notice"), ("RTVI", "byline"),
]  # fmt: skip


# --------------------------------------------------------------------------- text


@dataclass
class Vocabulary:
    """Words of each script, taken from the repository's archived articles (realistic letters)."""

    ru: list[str]
    en: list[str]

    @classmethod
    def from_seeds(cls, seeds: Path) -> Vocabulary:
        ru: set[str] = set()
        en: set[str] = set()
        for file in sorted(seeds.glob("*.txt")):
            text = unicodedata.normalize("NFC", file.read_text(encoding="utf-8"))
            ru.update(w.lower() for w in re.findall(r"\b[А-Яа-яЁё]{2,}\b", text))
            en.update(w.lower() for w in re.findall(r"\b[A-Za-z]{2,}\b", text))
        if len(ru) < 50 or len(en) < 50:
            raise SystemExit(f"too few words in {seeds} to write realistic text")
        return cls(sorted(ru), sorted(en))

    def words(self, lang: str) -> list[str]:
        return self.ru if lang == "ru" else self.en


def sentence(rnd: random.Random, words: list[str], lang: str, lo: int = 6, hi: int = 14) -> str:
    """One sentence: capitalised, some commas, a number now and then, a quoted word now and then."""
    n = rnd.randint(lo, hi)
    ws = rnd.choices(words, k=n)
    if rnd.random() < 0.35:
        ws[rnd.randrange(1, n)] = str(rnd.randint(2, 120))
    if rnd.random() < 0.15:
        i = rnd.randrange(1, n)
        ws[i] = f"«{ws[i]}»" if lang == "ru" else f'"{ws[i]}"'
    if n > 2 and rnd.random() < 0.5:
        ws[rnd.randrange(1, n - 1)] += ","
    ws[0] = ws[0][:1].upper() + ws[0][1:]
    return " ".join(ws) + "."


def phrase(rnd: random.Random, words: list[str], lo: int, hi: int) -> str:
    """A short capitalised phrase without final punctuation (names, roles, places)."""
    ws = [rnd.choice(words) for _ in range(rnd.randint(lo, hi))]
    return " ".join(w[:1].upper() + w[1:] for w in ws)


@dataclass
class Source:
    """One archived article: its text and the passages rows may cite from it."""

    id: str
    lang: str
    day: int | None  # publication day since 1970, None when the archive gives none
    text: str
    passages: list[str]  # single sentences and pairs of neighbouring sentences
    quotes: list[tuple[str, str]]  # (quoted words, the sentence that attributes them)


def article(
    rnd: random.Random, vocab: Vocabulary, lang: str, header: list[str]
) -> tuple[str, list[str], list[tuple[str, str]]]:
    """An archived text of a few paragraphs, with the passages and quotes that occur in it."""
    words = vocab.words(lang)
    paragraphs = [[sentence(rnd, words, lang) for _ in range(rnd.randint(3, 6))] for _ in range(8)]
    passages: list[str] = []
    quotes: list[tuple[str, str]] = []
    for para in paragraphs:
        passages.extend(para)
        passages.extend(f"{a} {b}" for a, b in itertools.pairwise(para) if len(a) + len(b) < 140)
        for s in para:
            ws = s[:-1].split(" ")
            start = rnd.randint(1, 3)
            stop = min(len(ws), start + rnd.randint(4, 9))
            if stop - start >= 4:
                quotes.append((" ".join(ws[start:stop]).rstrip(",").strip('"«»'), s))
    body = "\n\n".join(" ".join(p) for p in paragraphs)
    return "\n".join([*header, "", body, ""]), passages, quotes


def pool(strings: list[str]) -> pa.Array:
    return pa.array(strings, type=pa.string())


# --------------------------------------------------------------------------- vectorised helpers


def take(values: pa.Array, index: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """values[index], null where PRESENT is False."""
    mask = None if present is None else ~present
    return values.take(pa.array(index.astype(np.int64), mask=mask))


def join_lists(parts: list[pa.Array], separator: str) -> pa.Array:
    """Join up to k id columns into one list cell per row; missing items are skipped, an empty list is null."""
    # null_handling="skip" drops rows whose items are all null (pyarrow 26), so join with empties and tidy
    joined = pc.binary_join_element_wise(*parts, separator, null_handling="replace", null_replacement="")
    if len(parts) > 1:
        joined = pc.utf8_trim(
            pc.replace_substring_regex(joined, f"{re.escape(separator)}+", separator), separator
        )
    return pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)


def distinct_items(
    rng: np.random.Generator, n: int, modulus: np.ndarray, k: np.ndarray, kmax: int
) -> np.ndarray:
    """n x kmax distinct indices below MODULUS (per row), -1 beyond each row's count K."""
    modulus = np.maximum(modulus, 1)
    k = np.minimum(k, modulus)
    out = np.full((n, kmax), -1, dtype=np.int64)
    first = (rng.random(n) * modulus).astype(np.int64)
    out[:, 0] = first
    # consecutive offsets of at least 1 whose sum stays below the modulus keep the items distinct
    step = np.maximum(modulus // kmax, 1)
    total = np.zeros(n, dtype=np.int64)
    for j in range(1, kmax):
        total += 1 + (rng.random(n) * np.maximum(step - 1, 1)).astype(np.int64)
        out[:, j] = (first + total) % modulus
    out[np.arange(kmax)[None, :] >= k[:, None]] = -1
    return out


def choose(rng: np.random.Generator, n: int, weights: list[float]) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def day_strings(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32)).cast(pa.date32()).cast(pa.string())


def partial_dates(days: np.ndarray, precision: np.ndarray) -> pa.Array:
    """ISO dates cut to their precision (0 day, 1 month, 2 year): never padded, never rounded."""
    full = day_strings(days)
    month = pc.utf8_slice_codeunits(full, 0, 7)
    year = pc.utf8_slice_codeunits(full, 0, 4)
    return pc.if_else(pa.array(precision == 0), full, pc.if_else(pa.array(precision == 1), month, year))


def counter(n: int, start: int = 0) -> pa.Array:
    return pc.utf8_lpad(pa.array(np.arange(start, start + n)).cast(pa.string()), width=7, padding="0")


def const(value: str, n: int) -> pa.Array:
    """A constant column: pyarrow's element-wise join is slow with scalar arguments, fast with arrays."""
    return pa.repeat(pa.scalar(value, pa.string()), n)


def _plain(column: pa.Array) -> pa.Array:
    column = column.cast(pa.string())
    return pc.fill_null(column, "") if column.null_count else column


def escape(column: pa.Array) -> pa.Array:
    """A column's CSV cells: quoted only where needed (comma, quote, line break), nulls empty."""
    column = column.cast(pa.string())
    needs = pc.fill_null(pc.match_substring_regex(column, '[,"\r\n]'), False)
    if pc.any(needs).as_py():
        chosen = column.filter(needs)
        empty = const("", len(chosen))
        quoted = pc.binary_join_element_wise(empty, pc.replace_substring(chosen, '"', '""'), empty, '"')
        column = pc.replace_with_mask(column, needs, quoted)
    return pc.fill_null(column, "") if column.null_count else column


def plain_fields(table: Table) -> set[str]:
    """Fields whose generated values never need CSV quoting: ids, dates, numbers, comma-free vocabularies."""
    special = (",", '"', "\r", "\n")
    return {
        f.name
        for f in table.fields
        if f.type in ("integer", "number")
        or (f.pattern and not f.enum)
        or (f.enum and not any(c in v for v in f.enum for c in special))
    }


def write_csv(
    file: Path,
    names: list[str],
    columns: dict[str, pa.Array],
    ragged: dict[int, str] | None = None,
    plain: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Write the columns in descriptor order, one record per line, in chunks, without a row loop.

    Columns named in PLAIN are written as they are (no quoting scan), which halves the time.
    """
    n = len(columns[names[0]])
    chunk = 200_000
    with file.open("wb") as out:
        out.write((",".join(names) + "\n").encode("utf-8"))
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            cells = [
                _plain(columns[name].slice(start, stop - start))
                if name in plain
                else escape(columns[name].slice(start, stop - start))
                for name in names
            ]
            lines = pc.binary_join_element_wise(*cells, ",")
            for i, extra in (ragged or {}).items():
                if start <= i < stop:
                    mask = np.zeros(stop - start, dtype=bool)
                    mask[i - start] = True
                    value = lines[i - start].as_py() + extra
                    lines = pc.replace_with_mask(lines, pa.array(mask), pa.array([value]))
            lines = pc.binary_join_element_wise(lines, const("", len(lines)), "\n")
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[
                lines.offset : lines.offset + len(lines) + 1
            ]
            out.write(memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]])


def set_cell(column: pa.Array, row: int, value: str | None) -> pa.Array:
    mask = np.zeros(len(column), dtype=bool)
    mask[row] = True
    return pc.replace_with_mask(column, pa.array(mask), pa.array([value], type=column.type))


# --------------------------------------------------------------------------- the package


class Generator:
    """Builds the six tables of one synthetic package."""

    def __init__(
        self,
        desc: Descriptor,
        rows: int,
        seed: int,
        persons: int,
        organizations: int,
        sources: int | None,
        figures: int | None,
    ) -> None:
        self.desc = desc
        self.rows = rows
        self.rng = np.random.default_rng(seed)
        self.rnd = random.Random(seed)
        self.vocab = Vocabulary.from_seeds(REPO / "seeds")
        self.n_persons = persons
        self.n_orgs = organizations
        # one article per 200 rows (5..5000): excerpts repeat a few times, as a growing dataset's would
        self.n_sources = sources or max(5, min(5000, rows // 200))
        self.n_figures = rows // 2 if figures is None else figures
        self.tables: dict[str, dict[str, pa.Array]] = {}
        self.sources: list[Source] = []
        self.seeds: dict[str, bytes] = {}

    def enum(self, table: str, field: str) -> list[str]:
        values = self.desc.tables[table].field(field).enum
        if not values:
            raise SystemExit(f"the descriptor no longer gives {table}.{field} a vocabulary")
        return list(values)

    # ----------------------------------------------------------------- small tables (a Python loop is fine)

    def build_sources(self) -> None:
        rnd = self.rnd
        rows: dict[str, list[Any]] = {name: [] for name in self.desc.tables["sources"].field_names}
        for i in range(self.n_sources):
            lang = "ru" if (i * 3) % 5 < 3 else "en"  # 60% of the sources, both languages from five on
            day = None if i % 20 == 19 else rnd.randint(*PUBLISHED)
            published = (EPOCH.toordinal() + day) if day is not None else None
            pub = date.fromordinal(published).isoformat() if published else None
            publisher, basis = rnd.choice(PUBLISHERS) if rnd.random() < 0.7 else (None, None)
            slug = "-".join(rnd.choice(self.vocab.en) for _ in range(2))
            sid = f"{pub or 'undated'}-{slug}-{i:03d}"
            title = sentence(rnd, self.vocab.words(lang), lang, 5, 10)[:-1] if rnd.random() < 0.8 else None
            url = f"https://example.org/{lang}/news/{i}" if rnd.random() < 0.3 else None
            header = [f" date {pub}" if pub else " archived copy", title or "", url or ""]
            text, passages, quotes = article(rnd, self.vocab, lang, header)
            data = text.encode("utf-8")
            digest = hashlib.sha256(data).hexdigest()
            path = f"seeds/{i:03d}_{digest[:16]}.txt"
            self.seeds[path] = data
            self.sources.append(Source(sid, lang, day, text, passages, quotes))
            values = {
                "id": sid,
                "publisher": publisher,
                "publisher_basis": f"{basis} naming {publisher}" if publisher else None,
                "title": title,
                "published": pub,
                "language": lang,
                "path": path,
                "sha256": digest,
                "url": url,
                "notes": sentence(rnd, self.vocab.en, "en", 6, 14) if rnd.random() < 0.5 else None,
            }
            for name in rows:
                rows[name].append(values.get(name))
        self.tables["sources"] = {k: pa.array(v, type=pa.string()) for k, v in rows.items()}
        self.source_ids = pool([s.id for s in self.sources])
        latest = max(s.day for s in self.sources if s.day is not None)
        self.source_day = np.array([s.day if s.day is not None else latest for s in self.sources])
        self.source_ru = np.array([s.lang == "ru" for s in self.sources])

    def _source_list(self, rnd: random.Random) -> str:
        k = min(rnd.choice([1, 1, 2, 3]), self.n_sources)
        return ";".join(s.id for s in rnd.sample(self.sources, k))

    def build_persons(self) -> None:
        rnd = self.rnd
        countries = self.enum("persons", "country")
        latin_origin = self.enum("persons", "name_latin_origin")
        cyr_origin = self.enum("persons", "name_cyrillic_origin")
        rows: dict[str, list[Any]] = {name: [] for name in self.desc.tables["persons"].field_names}
        for i in range(self.n_persons):
            (sur_c, sur_l), (giv_c, giv_l) = rnd.choice(SURNAMES), rnd.choice(GIVEN)
            cyr = rnd.random() < 0.8
            partial = cyr and rnd.random() < 0.2
            values = {
                "id": f"{sur_l.lower()}-{giv_l.lower()}-{i}",
                "name_latin": f"{giv_l} {sur_l}",
                "name_latin_origin": rnd.choice(latin_origin),
                "name_cyrillic": (sur_c if partial else f"{giv_c} {sur_c}") if cyr else None,
                "name_cyrillic_origin": (cyr_origin[-1] if partial else cyr_origin[0]) if cyr else None,
                "role": phrase(rnd, self.vocab.en, 2, 5),
                "country": rnd.choice(countries) if rnd.random() < 0.8 else None,
                "source_ids": self._source_list(rnd),
                "notes": sentence(rnd, self.vocab.ru, "ru", 5, 12) if rnd.random() < 0.4 else None,
            }
            for name in rows:
                rows[name].append(values.get(name))
        self.tables["persons"] = {k: pa.array(v, type=pa.string()) for k, v in rows.items()}
        self.person_ids = self.tables["persons"]["id"]

    def build_organizations(self) -> None:
        rnd = self.rnd
        kinds = self.enum("organizations", "kind")
        countries = self.enum("organizations", "country")
        origins = self.enum("organizations", "name_en_origin")
        rows: dict[str, list[Any]] = {name: [] for name in self.desc.tables["organizations"].field_names}
        ids: list[str] = []
        for i in range(self.n_orgs):
            oid = f"{'-'.join(rnd.choice(self.vocab.en) for _ in range(2))}-{i}"
            values = {
                "id": oid,
                "name_en": phrase(rnd, self.vocab.en, 2, 5),
                "name_en_origin": rnd.choice(origins),
                "name_ru": phrase(rnd, self.vocab.ru, 2, 4) if rnd.random() < 0.6 else None,
                "kind": rnd.choice(kinds),
                "country": rnd.choice(countries) if rnd.random() < 0.8 else None,
                "parent_id": rnd.choice(ids) if ids and rnd.random() < 0.3 else None,
                "source_ids": self._source_list(rnd),
                "notes": sentence(rnd, self.vocab.en, "en", 5, 12) if rnd.random() < 0.3 else None,
            }
            ids.append(oid)
            for name in rows:
                rows[name].append(values.get(name))
        self.tables["organizations"] = {k: pa.array(v, type=pa.string()) for k, v in rows.items()}
        self.org_ids = self.tables["organizations"]["id"]

    # ----------------------------------------------------------------- text pools for the big tables

    def build_pools(self) -> None:
        rnd, en, ru = self.rnd, self.vocab.en, self.vocab.ru
        self.summaries = pool([sentence(rnd, en, "en", 6, 12) for _ in range(4000)])
        self.bases_en = pool([f"Not printed; {sentence(rnd, en, 'en', 4, 9).lower()}" for _ in range(500)])
        self.bases_ru = pool(
            [
                f"The source prints «{sentence(rnd, ru, 'ru', 3, 6)[:-1]}»; the year is inferred."
                for _ in range(500)
            ]
        )
        self.notes_en = pool([sentence(rnd, en, "en", 4, 9) for _ in range(500)])
        self.notes_ru = pool([sentence(rnd, ru, "ru", 4, 9) for _ in range(500)])
        self.places_en = pool([phrase(rnd, en, 1, 3) for _ in range(80)])
        self.places_ru = pool([phrase(rnd, ru, 1, 2) for _ in range(80)])
        self.translations = pool([sentence(rnd, en, "en", 4, 10)[:-1] for _ in range(2000)])
        self.counted = pool([phrase(rnd, en, 3, 7) for _ in range(300)])
        # every source's passages and quotes in one array, with each source's start and count
        passages, quotes, excerpts = [], [], []
        self.passage_start, self.passage_count = [], []
        self.quote_start, self.quote_count = [], []
        for s in self.sources:
            self.passage_start.append(len(passages))
            self.passage_count.append(len(s.passages))
            passages.extend(s.passages)
            self.quote_start.append(len(quotes))
            self.quote_count.append(len(s.quotes))
            quotes.extend(q for q, _ in s.quotes)
            excerpts.extend(e for _, e in s.quotes)
        self.passages, self.quotes, self.quote_excerpts = pool(passages), pool(quotes), pool(excerpts)
        self.passage_start, self.passage_count = np.array(self.passage_start), np.array(self.passage_count)
        self.quote_start, self.quote_count = np.array(self.quote_start), np.array(self.quote_count)

    # ----------------------------------------------------------------- the shared date block

    def dates(
        self, table: str, n: int, bound: np.ndarray, russian: np.ndarray, fixed: int = 0
    ) -> dict[str, Any]:
        """date, date_precision, end_date, date_qualifier, date_derivation, date_basis for N rows.

        BOUND is the last day each row may fall on (the earliest publication among its cited
        sources); the first FIXED rows are the detentions, in January 2024, exact to the day.
        """
        rng = self.rng
        precision_values = self.enum(table, "date_precision")  # day, month, year
        qualifiers = self.enum(table, "date_qualifier")
        derivations = self.enum(table, "date_derivation")
        precision = choose(rng, n, [0.7, 0.2, 0.1][: len(precision_values)])
        q_weights = [0.7 if q == "on" else 0.3 / (len(qualifiers) - 1) for q in qualifiers]
        qualifier = choose(rng, n, q_weights)
        d_weights = [0.5 if d == "printed" else 0.5 / (len(derivations) - 1) for d in derivations]
        derivation = choose(rng, n, d_weights)
        start = FIRST_DAY + (rng.random(n) * (bound - FIRST_DAY + 1)).astype(np.int64)
        end = start + (rng.random(n) * (bound - start + 1)).astype(np.int64)
        if fixed:
            start[:fixed] = DETENTION_DAYS[0] + (rng.random(fixed) * 31).astype(np.int64)
            precision[:fixed] = 0
            qualifier[:fixed] = qualifiers.index("on")
        spans = np.isin(qualifier, [qualifiers.index(q) for q in ("span", "between") if q in qualifiers])
        printed = derivation == derivations.index("printed")
        basis_present = ~printed | (rng.random(n) < 0.2)
        return {
            "date": partial_dates(start, precision),
            "date_precision": take(pool(precision_values), precision),
            "end_date": pc.if_else(
                pa.array(spans), partial_dates(end, precision), pa.scalar(None, pa.string())
            ),
            "date_qualifier": take(pool(qualifiers), qualifier),
            "date_derivation": take(pool(derivations), derivation),
            "date_basis": self._by_language(self.bases_ru, self.bases_en, russian, basis_present),
        }

    def _pick(self, values: pa.Array, n: int, present: np.ndarray | None = None) -> pa.Array:
        return take(values, (self.rng.random(n) * len(values)).astype(np.int64), present)

    def _by_language(
        self, ru_values: pa.Array, en_values: pa.Array, russian: np.ndarray, present: np.ndarray
    ) -> pa.Array:
        n = len(russian)
        return pc.if_else(
            pa.array(russian), self._pick(ru_values, n, present), self._pick(en_values, n, present)
        )

    def _cited(self, n: int, kmax: int) -> tuple[np.ndarray, np.ndarray]:
        """Source indices (n x kmax, -1 = none) and each row's last allowed day (earliest publication)."""
        rng = self.rng
        k = choose(rng, n, [0.6, 0.3, 0.1][:kmax]) + 1
        items = distinct_items(rng, n, np.full(n, self.n_sources), k, kmax)
        # the first (evidence) source is Russian in RUSSIAN_ROWS of the rows, whatever the mix of sources
        ru, en = np.flatnonzero(self.source_ru), np.flatnonzero(~self.source_ru)
        ru, en = (ru if len(ru) else en), (en if len(en) else ru)  # --sources 1: one language only
        russian = rng.random(n) < RUSSIAN_ROWS
        first = np.where(
            russian,
            ru[(rng.random(n) * len(ru)).astype(np.int64)],
            en[(rng.random(n) * len(en)).astype(np.int64)],
        )
        items = np.where(items >= 0, (items - items[:, :1] + first[:, None]) % self.n_sources, -1)
        days = np.where(items >= 0, self.source_day[np.maximum(items, 0)], np.iinfo(np.int64).max)
        return items, days.min(axis=1)

    # ----------------------------------------------------------------- big tables (vectorised)

    def build_events(self) -> None:
        rng, n = self.rng, self.rows
        types = self.enum("events", "event_type")
        detained = min(self.n_persons, max(1, n // 4))  # persons with a detention event among the first rows
        cited, bound = self._cited(n, 3)
        first = cited[:, 0]
        russian = self.source_ru[first]
        block = self.dates("events", n, bound, russian, fixed=detained)
        kind = rng.integers(len(types), size=n)
        kind[:detained] = types.index("detention")
        release = kind == types.index("release")
        # persons: a release names only persons detained in the first rows, the detention rows their own
        k_persons = choose(rng, n, [0.3, 0.4, 0.2, 0.1])
        k_persons[:detained] = np.maximum(k_persons[:detained], 1)
        modulus = np.where(release, detained, self.n_persons)
        persons = distinct_items(rng, n, modulus, k_persons, 3)
        head = np.arange(detained)
        shift = persons[:detained, 0].copy()
        for j in range(3):  # move row i's items so that its first item is person i, keeping them distinct
            col = persons[:detained, j]
            persons[:detained, j] = np.where(col >= 0, (col - shift + head) % self.n_persons, -1)
        orgs = distinct_items(rng, n, np.full(n, self.n_orgs), choose(rng, n, [0.3, 0.5, 0.2]), 2)
        passage = self.passage_start[first] + (rng.random(n) * self.passage_count[first]).astype(np.int64)
        type_col = take(pool(types), kind)
        date_col = block["date"]
        exact = pa.array(block["date_precision"].to_numpy(zero_copy_only=False) == "day")
        slug = pc.if_else(exact, pc.binary_join_element_wise(date_col, type_col, "-"), type_col)
        columns = {
            "id": pc.binary_join_element_wise(slug, counter(n), "-"),
            **block,
            "place": self._by_language(self.places_ru, self.places_en, russian, rng.random(n) < 0.7),
            "event_type": type_col,
            "summary": self._pick(self.summaries, n),
            "person_ids": join_lists([take(self.person_ids, c, c >= 0) for c in persons.T], ";"),
            "organization_ids": join_lists([take(self.org_ids, c, c >= 0) for c in orgs.T], ";"),
            "source_ids": join_lists([take(self.source_ids, c, c >= 0) for c in cited.T], ";"),
            "evidence": take(self.passages, passage),
            "notes": self._by_language(self.notes_ru, self.notes_en, russian, rng.random(n) < 0.3),
        }
        self.tables["events"] = self._complete("events", columns, n)
        self.event_ids = columns["id"]
        self.detained = detained

    def build_statements(self) -> None:
        rng, n = self.rng, self.rows
        cited, bound = self._cited(n, 1)
        source = cited[:, 0]
        russian = self.source_ru[source]
        quote = self.quote_start[source] + (rng.random(n) * self.quote_count[source]).astype(np.int64)
        speaker = choose(rng, n, [0.5, 0.4, 0.1])  # person, organization, both
        kinds = self.enum("statements", "statement_kind")
        languages = self.enum("statements", "language")
        origin = self.enum("statements", "quote_en_origin")[0]
        translated = russian  # a Russian quote needs an English rendering, an English one has none
        columns = {
            "id": pc.binary_join_element_wise(const("statement", n), counter(n), "-"),
            "speaker_person_id": self._pick(self.person_ids, n, speaker != 1),
            "speaker_organization_id": self._pick(self.org_ids, n, speaker != 0),
            **self.dates("statements", n, bound, russian),
            "source_id": take(self.source_ids, source),
            "statement_kind": self._pick(pool(kinds), n),
            "language": take(
                pool(languages), np.where(russian, languages.index("ru"), languages.index("en"))
            ),
            "quote": take(self.quotes, quote),
            "quote_en": self._pick(self.translations, n, translated),
            "quote_en_origin": pc.if_else(pa.array(translated), origin, pa.scalar(None, pa.string())),
            "about_event_ids": join_lists(
                [
                    take(self.event_ids, c, c >= 0)
                    for c in distinct_items(
                        rng, n, np.full(n, self.rows), choose(rng, n, [0.2, 0.6, 0.2]), 2
                    ).T
                ],
                ";",
            ),
            "about_person_ids": join_lists(
                [
                    take(self.person_ids, c, c >= 0)
                    for c in distinct_items(
                        rng, n, np.full(n, self.n_persons), choose(rng, n, [0.5, 0.4, 0.1]), 2
                    ).T
                ],
                ";",
            ),
            "excerpt": take(self.quote_excerpts, quote),
            "notes": self._by_language(self.notes_ru, self.notes_en, russian, rng.random(n) < 0.3),
        }
        self.tables["statements"] = self._complete("statements", columns, n)

    def build_figures(self) -> None:
        rng, n = self.rng, self.n_figures
        cited, bound = self._cited(n, 1)
        source = cited[:, 0]
        russian = self.source_ru[source]
        passage = self.passage_start[source] + (rng.random(n) * self.passage_count[source]).astype(np.int64)
        columns = {
            "id": pc.binary_join_element_wise(const("figure", n), counter(n), "-"),
            "value": pa.array(rng.integers(0, 400, size=n)).cast(pa.string()),
            "value_qualifier": self._pick(pool(self.enum("figures", "value_qualifier")), n),
            "unit": self._pick(pool(self.enum("figures", "unit")), n),
            "measure": self._pick(pool(self.enum("figures", "measure")), n),
            "counted": self._pick(self.counted, n),
            **self.dates("figures", n, bound, russian),
            "event_id": self._pick(self.event_ids, n, rng.random(n) < 0.8)
            if self.rows
            else pa.nulls(n, pa.string()),
            "person_ids": join_lists(
                [
                    take(self.person_ids, c, c >= 0)
                    for c in distinct_items(
                        rng, n, np.full(n, self.n_persons), choose(rng, n, [0.6, 0.3, 0.1]), 2
                    ).T
                ],
                ";",
            ),
            "source_id": take(self.source_ids, source),
            "evidence": take(self.passages, passage),
            "notes": self._by_language(self.notes_ru, self.notes_en, russian, rng.random(n) < 0.2),
        }
        self.tables["figures"] = self._complete("figures", columns, n)

    def _complete(self, table: str, columns: dict[str, pa.Array], n: int) -> dict[str, pa.Array]:
        """Fields the descriptor gained since this generator was written get plain text or a vocabulary value."""
        for f in self.desc.tables[table].fields:
            if f.name not in columns:
                base = f.name.removesuffix("_origin")
                if base != f.name and base in columns:  # a translation's flag goes with its text
                    present = pc.is_valid(columns[base])
                    flag = pa.array([f.enum[0] if f.enum else "our-translation"] * n, pa.string())
                    columns[f.name] = pc.if_else(present, flag, pa.nulls(n, pa.string()))
                elif f.enum:
                    columns[f.name] = self._pick(pool(list(f.enum)), n)
                elif f.required:
                    columns[f.name] = self._pick(self.notes_en, n)
                else:
                    columns[f.name] = pa.nulls(n, pa.string())
        return columns

    def build(self) -> None:
        self.build_sources()
        self.build_persons()
        self.build_organizations()
        self.build_pools()
        self.build_events()
        self.build_statements()
        self.build_figures()
        # links between claims are curated pairs: the bench package has the table, header only
        self.tables["claim_links"] = self._complete("claim_links", {}, 0)


# --------------------------------------------------------------------------- faults


def _typo(value: str, banned: set[str]) -> str:
    """A plausible typo: two neighbouring letters swapped, else a letter dropped."""
    for i in range(1, len(value) - 1):
        candidate = value[:i] + value[i + 1] + value[i] + value[i + 2 :]
        if (
            candidate != value
            and candidate not in banned
            and candidate[0] not in " -"
            and candidate[-1] != " "
        ):
            return candidate
    return value[:-1] if value[:-1] not in banned else value + "x"


def inject_faults(
    gen: Generator, count: int, seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[int, str]]]:
    """Break COUNT cells in known ways; return the expected problems, the tolerated ones, and ragged rows."""
    rnd = random.Random(seed * 7919 + 17)
    tables = gen.tables
    expected: list[dict[str, Any]] = []
    tolerated: list[dict[str, Any]] = []
    ragged: dict[str, dict[int, str]] = {}
    used: dict[str, set[int]] = {}
    texts = {s.id: re.sub(r"\s+", " ", unicodedata.normalize("NFC", s.text)).strip() for s in gen.sources}

    def row_in(table: str, low: int = 0) -> int:
        n = len(tables[table]["id"])
        taken = used.setdefault(table, set())
        if n - low <= len(taken):
            raise SystemExit(f"too many faults for {n} rows of {table}")
        while True:
            i = rnd.randrange(low, n)
            if i not in taken:
                taken.add(i)
                return i

    def cell(table: str, column: str, i: int) -> str | None:
        return tables[table][column][i].as_py()

    def record(
        kind: str,
        table: str,
        i: int | None,
        column: str | None,
        rule: str,
        frictionless: list[str],
        value: Any = None,
    ) -> None:
        expected.append(
            {
                "kind": kind,
                "file": gen.desc.tables[table].path,
                "row": None if i is None else i + 2,  # the header is row 1
                "column": column,
                "rule": rule,
                "value": value,
                "aliases": list(RULE_ALIASES.get(rule, ())),
                "frictionless": frictionless,
            }
        )

    for j in range(count):
        kind, variant = FAULT_KINDS[j % len(FAULT_KINDS)], (j // len(FAULT_KINDS)) % 2
        if kind == "dangling-fk":
            if variant == 0:  # a single-valued foreign key that frictionless checks too
                i = row_in("statements")
                value = f"ghost-person-{j}"
                tables["statements"]["speaker_person_id"] = set_cell(
                    tables["statements"]["speaker_person_id"], i, value
                )
                record(kind, "statements", i, "speaker_person_id", "foreign-key", ["foreign-key"], value)
            else:  # an item of a list field (x-list-of): frictionless cannot know
                i = row_in("events", gen.detained)
                old = cell("events", "organization_ids", i)
                value = f"ghost-organization-{j}"
                tables["events"]["organization_ids"] = set_cell(
                    tables["events"]["organization_ids"], i, f"{old};{value}" if old else value
                )
                record(kind, "events", i, "organization_ids", "foreign-key", [], value)
        elif kind == "enum-typo":
            table, column = ("statements", "statement_kind") if variant == 0 else ("figures", "unit")
            i = row_in(table)
            value = _typo(cell(table, column, i), set(gen.enum(table, column)))
            tables[table][column] = set_cell(tables[table][column], i, value)
            record(kind, table, i, column, "enum", ["constraint-error"], value)
        elif kind == "edited-excerpt":
            table, column, source_column = (
                ("statements", "excerpt", "source_id")
                if variant == 0
                else ("events", "evidence", "source_ids")
            )
            i = row_in(table, gen.detained if table == "events" else 0)
            old = cell(table, column, i)
            source = cell(table, source_column, i).split(";")[0]
            words = old.split(" ")
            for w, word in enumerate(words):
                if len(word) >= 4 and word.isalpha():
                    candidate = " ".join([*words[:w], _typo(word, {word}), *words[w + 1 :]])
                    if candidate not in texts[source]:
                        break
            else:
                candidate = old[:-1] + " " + "и" * 9 + "."
            tables[table][column] = set_cell(tables[table][column], i, candidate)
            record(kind, table, i, column, "verbatim", [], candidate)
        elif kind == "duplicate-id":
            i = row_in("statements", 1)
            first = rnd.randrange(0, i)
            value = cell("statements", "id", first)
            tables["statements"]["id"] = set_cell(tables["statements"]["id"], i, value)
            record(kind, "statements", i, "id", "unique", ["primary-key", "unique-error"], value)
            tolerated.append(
                {
                    "file": gen.desc.tables["statements"].path,
                    "row": first + 2,
                    "column": "id",
                    "rule": "unique",
                    "aliases": list(RULE_ALIASES["unique"]),
                }
            )
        elif kind == "zero-width-space":
            table, column = ("events", "summary") if variant == 0 else ("figures", "counted")
            i = row_in(table, gen.detained if table == "events" else 0)
            old = cell(table, column, i)
            cut = old.index(" ") if " " in old else len(old) // 2
            value = old[:cut] + ZWSP + old[cut:]
            tables[table][column] = set_cell(tables[table][column], i, value)
            record(kind, table, i, column, "invisible-character", [], value)
        elif kind == "ragged-row":
            i = row_in("figures")
            ragged.setdefault("figures", {})[i] = ",an extra cell"
            record(kind, "figures", i, None, "ragged-row", ["extra-cell"])
    return expected, tolerated, ragged


# --------------------------------------------------------------------------- writing


def cyrillic_share(table: Table, columns: dict[str, pa.Array], sample: int = 20_000) -> float:
    """Share of letters that are Cyrillic in a table's free text (fields without a pattern or vocabulary)."""
    cyr = total = 0
    for f in table.fields:
        if f.pattern or f.enum or f.type != "string":
            continue
        data = np.frombuffer(
            " ".join(v for v in columns[f.name][:sample].to_pylist() if v).encode(), np.uint8
        )
        lead = int(np.count_nonzero((data >= 0xD0) & (data <= 0xD3)))  # U+0400..U+04FF in UTF-8
        cyr += lead
        total += lead + int(np.count_nonzero(((data | 0x20) >= ord("a")) & ((data | 0x20) <= ord("z"))))
    return cyr / total if total else 0.0


def generate(
    out: Path,
    rows: int,
    seed: int = 1,
    faults: int = 0,
    persons: int = 300,
    organizations: int = 200,
    sources: int | None = None,
    figures: int | None = None,
    descriptor: Path = REPO / "datapackage.json",
) -> dict[str, Any]:
    """Write the synthetic package to OUT (replacing it); return what was written."""
    started = time.perf_counter()
    desc = read_descriptor(descriptor)
    gen = Generator(desc, rows, seed, persons, organizations, sources, figures)
    gen.build()
    expected, tolerated, ragged = inject_faults(gen, faults, seed) if faults else ([], [], {})
    if out.exists():
        shutil.rmtree(out)
    (out / "seeds").mkdir(parents=True)
    for path, data in gen.seeds.items():
        (out / path).write_bytes(data)
    raw = json.loads(descriptor.read_text(encoding="utf-8"))
    sizes: dict[str, int] = {}
    for name, table in desc.tables.items():
        file = out / table.path
        file.parent.mkdir(parents=True, exist_ok=True)
        write_csv(file, table.field_names, gen.tables[name], ragged.get(name), plain_fields(table))
        sizes[table.path] = file.stat().st_size
    for res in raw["resources"]:  # keep the descriptor as it is, but true to the new files
        file = out / res["path"]
        if "bytes" in res:
            res["bytes"] = file.stat().st_size
        if "hash" in res:
            algorithm = res["hash"].split(":")[0] if ":" in res["hash"] else "md5"
            digest = hashlib.new(algorithm, file.read_bytes()).hexdigest()
            res["hash"] = f"{algorithm}:{digest}" if ":" in res["hash"] else digest
    (out / "datapackage.json").write_text(
        json.dumps(raw, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    summary = {
        "seed": seed,
        "rows": {name: len(cols[next(iter(cols))]) for name, cols in gen.tables.items()},
        "csv_bytes": sum(sizes.values()),
        "files": sizes,
        "seeds_bytes": sum(len(d) for d in gen.seeds.values()),
        "russian_sources": round(float(np.mean(gen.source_ru)), 3),
        "cyrillic_share_of_free_text": {
            name: round(cyrillic_share(desc.tables[name], gen.tables[name]), 3)
            for name in ("events", "statements")
        },
        "faults": expected,
        "tolerated": tolerated,
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / "faults.json").write_text(
        json.dumps({"seed": seed, "faults": expected, "tolerated": tolerated}, ensure_ascii=False, indent=2)
        + "\n",
        encoding="utf-8",
    )
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="directory to write the package to (replaced)")
    parser.add_argument(
        "--rows", type=int, default=10_000, help="rows in events and in statements (default 10000)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="random seed: the same seed writes the same bytes"
    )
    parser.add_argument(
        "--faults", type=int, default=0, help="inject this many known faults (listed in faults.json)"
    )
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--organizations", type=int, default=200)
    parser.add_argument(
        "--sources", type=int, default=None, help="archived articles (default rows/200, 5..5000)"
    )
    parser.add_argument("--figures", type=int, default=None, help="rows in figures (default rows/2)")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.persons < 3 or args.organizations < 3:
        parser.error("--rows must be at least 1, --persons and --organizations at least 3")
    summary = generate(
        args.out,
        args.rows,
        args.seed,
        args.faults,
        args.persons,
        args.organizations,
        args.sources,
        args.figures,
    )
    summary.pop("faults")
    summary.pop("tolerated")
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
