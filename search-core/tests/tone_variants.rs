//! Vietnamese as it is really typed, against references nobody here wrote
//! (see `data/make-tone-variants.py`): every misplaced tone mark and missing
//! horn of the Hunspell dictionary's syllables that underthesea reads back
//! as the syllable is found by the syllable, and no syllable spelt right
//! becomes another.

use std::collections::BTreeMap;

use ketluan_search::analysis::{nfc, tokenize};

fn rows(file: &str) -> Vec<Vec<String>> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The word a document's text is indexed under, as the index reads it.
fn indexed(text: &str) -> (String, String) {
    let tokens = tokenize(&nfc(text));
    assert_eq!(tokens.len(), 1, "{text:?} is one word");
    (tokens[0].exact.clone(), tokens[0].folded.clone())
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[test]
fn every_mistyped_syllable_is_found_by_the_syllable() {
    let table = rows("tone-variants.tsv");
    assert!(table.len() > 600, "the table has {} rows", table.len());
    let mut missed = Vec::new();
    for row in &table {
        let [variant, syllable] = &row[..] else {
            panic!("bad row {row:?}");
        };
        for (v, s) in [
            (variant.clone(), syllable.clone()),
            (capitalised(variant), capitalised(syllable)),
            (variant.to_uppercase(), syllable.to_uppercase()),
        ] {
            if indexed(&v) != indexed(&s) {
                missed.push(format!(
                    "{v} → {:?}, {s} → {:?}",
                    indexed(&v).0,
                    indexed(&s).0
                ));
            }
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} variants are not found by their syllable:\n{}",
        missed.len(),
        table.len() * 3,
        missed.join("\n")
    );
}

/// Old and new tone placement in open oa, oe, uy syllables are one word
/// (`hoà` = `hòa`); every other syllable keeps its own spelling, and no two
/// become one.
#[test]
fn syllables_spelt_right_stay_as_they_are_and_apart() {
    let syllables = rows("dictionary-syllables.txt");
    assert!(syllables.len() > 6000);
    let new_style = [
        "oà", "oá", "oả", "oã", "oạ", "oè", "oé", "oẻ", "oẽ", "oẹ", "uỳ", "uý", "uỷ", "uỹ", "uỵ",
    ];
    let mut by_form: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut changed = Vec::new();
    for row in &syllables {
        let s = row[0].as_str();
        let (exact, _) = indexed(s);
        let open_alternative = new_style.iter().any(|p| s.ends_with(p)) && !s.starts_with("qu");
        if exact != s && !open_alternative {
            changed.push(format!("{s} → {exact}"));
        }
        by_form.entry(exact).or_default().push(s);
    }
    assert!(
        changed.is_empty(),
        "syllables spelt right changed:\n{}",
        changed.join("\n")
    );
    let merged: Vec<_> = by_form
        .values()
        .filter(|v| v.len() > 1)
        .filter(|v| !v.iter().any(|s| new_style.iter().any(|p| s.ends_with(p))))
        .collect();
    assert!(
        merged.is_empty(),
        "different syllables became one: {merged:?}"
    );
}
