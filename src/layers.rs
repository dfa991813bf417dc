//! The layering rule, checked (test only): every top-level module has a tier, an import points down a tier or
//! sideways within one, and no set of modules imports each other in a circle. A new module fails this test until
//! it is given a tier here and in ARCHITECTURE.md; a new upward import or circle fails it with the files to fix.
//!
//! Imports are read the way `../shared/tools/modcycles.py` reads them: every `crate::name` in a module's files
//! (unit-test modules excepted), doc comments included, so prose that names a module above is caught too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Tiers, top first. The HTTP face (and the CLI that starts it) may hold the application state (`app`).
const TIERS: &[(&str, &[&str])] = &[
    ("the command line and the fuzz targets", &["cli", "fuzz"]),
    ("the HTTP face", &["app", "http", "web"]),
    ("live connections", &["gateway", "voice", "music", "push"]),
    (
        "domain rules",
        &["chat", "accounts", "admin", "oidc", "unfurl", "import"],
    ),
    ("Discord's objects and files", &["wire", "uploads"]),
    ("the store", &["store"]),
    (
        "leaves",
        &[
            "config", "clock", "crypto", "fetch", "hub", "ids", "media", "perms", "shutdown",
        ],
    ),
];

/// Modules that may import `app` from a tier at or below it (axum's `State<AppState>`).
const FACE: &[&str] = &["http", "web", "cli"];

fn tier_of(module: &str) -> Option<usize> {
    TIERS.iter().position(|(_, modules)| modules.contains(&module))
}

/// Every top-level module and the `.rs` files it is made of.
fn modules(src: &Path) -> BTreeMap<String, Vec<std::path::PathBuf>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".rs") {
            if !["lib", "main", "layers"].contains(&stem) {
                out.insert(stem.to_owned(), vec![path]);
            }
        } else if path.is_dir() {
            let mut files = Vec::new();
            let mut stack = vec![path];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "rs") {
                        files.push(path);
                    }
                }
            }
            out.insert(name, files);
        }
    }
    out
}

/// The module names a file refers to as `crate::name` (also inside `use crate::{a, b::c}` groups).
fn references(text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let text = text.find("#[cfg(test)]\nmod tests").map_or(text, |at| &text[..at]);
    let mut found = BTreeSet::new();
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find("};").unwrap_or(group.len())];
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 0 => {
                        found.insert(word(&group[i..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(word(rest));
        }
    }
    found.retain(|name| known.contains(name));
    found
}

#[test]
fn imports_point_down_and_never_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    let untiered: Vec<&String> = known.iter().filter(|m| tier_of(m).is_none()).collect();
    assert!(
        untiered.is_empty(),
        "modules without a tier in src/layers.rs: {untiered:?}"
    );

    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    for (module, files) in &modules {
        for file in files {
            let text = std::fs::read_to_string(file).unwrap();
            for target in references(&text, &known) {
                if &target == module || (target == "app" && FACE.contains(&module.as_str())) {
                    continue;
                }
                if tier_of(&target) < tier_of(module) {
                    upward.push(format!(
                        "{} imports {target} ({} -> {})",
                        file.strip_prefix(&src).unwrap().display(),
                        TIERS[tier_of(module).unwrap()].0,
                        TIERS[tier_of(&target).unwrap()].0
                    ));
                }
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up a tier:\n{}",
        upward.join("\n")
    );

    // Circles: a module that reaches itself through the imports of others.
    let mut circles = Vec::new();
    for start in &known {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = edges.get(start).into_iter().flatten().collect();
        while let Some(next) = stack.pop() {
            if next == start {
                circles.push(start.clone());
                break;
            }
            if seen.insert(next.clone()) {
                stack.extend(edges.get(next).into_iter().flatten());
            }
        }
    }
    assert!(circles.is_empty(), "modules in an import circle: {circles:?}");
}

#[test]
fn the_reader_sees_every_spelling_of_an_import() {
    let known: BTreeSet<String> = ["chat", "store", "hub", "ids"].map(String::from).into();
    let text = "use crate::{chat::Chat, store::{self, User}, hub};\n/// See crate::ids::Snowflake.\n\
                let x = notcrate::chat;\n#[cfg(test)]\nmod tests { use crate::gateway; }";
    assert_eq!(references(text, &known), known);
    assert!(references("use crate::{\n    store,\n    wire::Thing,\n};", &known).contains("store"));
}
