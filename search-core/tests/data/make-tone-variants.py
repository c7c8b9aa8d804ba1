#!/usr/bin/env python3
"""Writes tone-variants.tsv (Vietnamese syllables as they are mistyped, each
with the syllable it stands for) and dictionary-syllables.txt (the syllables
spelt right), from two references nobody here wrote.

- The syllables: every distinct syllable of the Hunspell Vietnamese
  dictionary, npm `dictionary-vi` 3.0.0 (`index.dic`).
- The judge: PyPI `underthesea` 9.5.0, `underthesea.pipeline.text_normalize`
  (its rules file tn_rules_2023_07_14.bin).

For each syllable with a tone mark, the mark is moved to every other vowel of
the syllable; for each syllable with `ươ`, one of its two horns is dropped
(`uơ`, `ưo`), with the mark where it was and on every other vowel. A variant
is kept when underthesea maps it back to the dictionary's syllable, both in
lower case and capitalised (the two agree on every variant; the table keeps
the lower case, the test tries both). The analyser must give each variant the
same search form as its syllable, and leave every dictionary syllable as it
is but for the tone placement of oa/oe/uy (search-core/tests/tone_variants.rs).

The syllables are the dictionary's lower-case words (its capitalised ones are
names and acronyms). dictionary-vi is GPL-2.0; the two files hold only lists
of syllables derived from it, for testing.

Reproduce (scratch folder, nothing of it committed):

    mkdir /tmp/tv && cd /tmp/tv
    python3 -m venv venv && venv/bin/pip install underthesea==9.5.0
    npm install --ignore-scripts dictionary-vi@3.0.0
    venv/bin/python path/to/search-core/tests/data/make-tone-variants.py \
        node_modules/dictionary-vi/index.dic path/to/search-core/tests/data
"""

import sys
import unicodedata

from underthesea.pipeline.text_normalize import text_normalize

TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
HORN = "\u031b"
VOWELS = "aeiouy"


def nfd(s):
    return unicodedata.normalize("NFD", s)


def nfc(s):
    return unicodedata.normalize("NFC", s)


def letters(syllable):
    """The syllable as [base letter, marks other than the tone], and its tone."""
    out, tone = [], ""
    for c in nfd(syllable):
        if c in TONES:
            tone = c
        elif unicodedata.combining(c):
            out[-1][1] += c
        else:
            out.append([c, ""])
    return out, tone


def spell(parts, tone, at):
    return nfc("".join(b + m + (tone if i == at else "") for i, (b, m) in enumerate(parts)))


def variants(syllable):
    parts, tone = letters(syllable)
    vowels = [i for i, (b, _) in enumerate(parts) if b.lower() in VOWELS]
    shapes = [parts]
    horns = [i for i, (b, m) in enumerate(parts) if HORN in m]
    if len(horns) == 2 and horns[1] == horns[0] + 1:  # ươ
        for drop in horns:
            shapes.append([[b, m.replace(HORN, "") if i == drop else m] for i, (b, m) in enumerate(parts)])
    found = set()
    for shape in shapes:
        for at in vowels if tone else [None]:
            v = spell(shape, tone, at)
            if v != syllable:
                found.add(v)
    return found


def main(dic, out):
    with open(dic, encoding="utf-8") as f:
        words = f.read().split("\n")[1:]
    syllables = sorted({s for w in words for s in w.split() if s and s == s.lower()})
    rows = set()
    for s in syllables:
        if not any(c in TONES or c == HORN for c in nfd(s)):
            continue
        for v in variants(s):
            lower = text_normalize(v) == s
            capital = text_normalize(v[0].upper() + v[1:]) == s[0].upper() + s[1:]
            if lower != capital:
                sys.exit(f"underthesea treats {v} and its capital differently")
            if lower:
                rows.add((v, s))
    head = "# made by make-tone-variants.py from dictionary-vi 3.0.0 and underthesea 9.5.0; see its header"
    with open(f"{out}/tone-variants.tsv", "w", encoding="utf-8") as f:
        print(head, file=f)
        print("# variant\tsyllable", file=f)
        for v, s in sorted(rows):
            print(f"{v}\t{s}", file=f)
    with open(f"{out}/dictionary-syllables.txt", "w", encoding="utf-8") as f:
        print(head, file=f)
        for s in syllables:
            print(s, file=f)
    print(f"{len(syllables)} syllables; {len(rows)} variants of {len({s for _, s in rows})}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
