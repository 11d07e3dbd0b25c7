//! Checks of the house rules that no compiler enforces, read off the source files:
//! SQL only in `store/`, and no import circle between the files of `src/`: layers run one way
//! (models → store → services → adapters), which is what lets the store change underneath.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir` (also the error-code translation test's input).
pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each file under `src/` as its module path (`crate::store::audit`) and its text without
/// the test module (tests may reach anywhere).
fn sources() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&src).expect("under src").with_extension("");
            let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            let module = match parts.as_slice() {
                [only] if only == "lib" || only == "main" => "crate".to_string(),
                _ => format!("crate::{}", parts.join("::")),
            };
            let text = std::fs::read_to_string(&path).expect("read");
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
            (module, code)
        })
        .collect()
}

/// Which file-modules each file-module names through `crate::…` or `super::…` paths.
fn imports(sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let resolve = |path: &str| -> Option<String> {
        let mut parts: Vec<&str> = path.split("::").collect();
        while !parts.is_empty() {
            let candidate = parts.join("::");
            if sources.contains_key(&candidate) {
                return Some(candidate);
            }
            parts.pop();
        }
        None
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in sources {
        // `super::` in `foo/bar.rs` is `foo`; in `foo/mod.rs` (module `foo`) it is the crate.
        let parent = module.rsplit_once("::").map(|(p, _)| p.to_string()).unwrap_or_else(|| "crate".into());
        for (marker, base) in [("crate::", "crate".to_string()), ("super::", parent.clone())] {
            for chunk in code.split(marker).skip(1) {
                let tail: String =
                    chunk.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                let tail = tail.trim_end_matches(':');
                if tail.is_empty() {
                    continue;
                }
                if let Some(target) = resolve(&format!("{base}::{tail}")) {
                    if &target != module && target != "crate" {
                        edges.entry(module.clone()).or_default().insert(target);
                    }
                }
            }
        }
    }
    edges
}

/// The strongly connected groups of more than one file (Tarjan).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<BTreeSet<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                if !s.index.contains_key(w.as_str()) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w.as_str()]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w.as_str()) {
                    let low = s.low[v].min(s.index[w.as_str()]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.insert(w.to_string());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                s.out.push(group);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// The circles that exist today (issue 10 lists them); each may only shrink or vanish.

#[test]
fn no_import_circle_between_files() {
    let sources = sources();
    assert!(sources.len() > 40, "only {} files read", sources.len());
    let edges = imports(&sources);
    // The scan sees real edges: the desk holds the store.
    assert!(edges.get("crate::desk").is_some_and(|t| t.contains("crate::store")));
    if let Some(group) = circles(&edges).first() {
        // Each file of the group and what it names inside the group: where to cut.
        let inside: Vec<String> = group
            .iter()
            .map(|m| {
                let names: Vec<&String> =
                    edges.get(m).map(|t| t.iter().filter(|x| group.contains(*x)).collect()).unwrap_or_default();
                format!("{m} -> {names:?}")
            })
            .collect();
        panic!("an import circle between files:\n{}", inside.join("\n"));
    }
}

#[test]
fn the_workers_pipeline_is_written_only_by_roster_pipeline() {
    // The store's status and history writers, called anywhere else, would be a second
    // writer of the pipeline that could forget the history row or the audit entry.
    for (module, code) in sources() {
        if module == "crate::roster::pipeline" || module.starts_with("crate::store") || module == "crate::architecture"
        {
            continue;
        }
        for writer in [concat!("::set_", "status("), concat!("add_", "history(")] {
            assert!(!code.contains(writer), "{module} writes the pipeline ({writer}); call roster::pipeline");
        }
    }
}

#[test]
fn sql_is_written_only_in_the_store() {
    for (module, code) in sources() {
        if module == "crate::store" || module.starts_with("crate::store::") || module == "crate::architecture" {
            continue;
        }
        // Spelled in pieces so this file, which only names them, does not hold them.
        let markers = [concat!("sqlx::", "query"), concat!("sqlx::", "raw", "_sql"), concat!("Query", "Builder")];
        for marker in markers {
            assert!(!code.contains(marker), "{module} writes SQL ({marker}); SQL belongs in store/");
        }
    }
}

#[test]
fn the_circle_check_finds_a_circle_it_is_shown() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("crate::a".into()).or_default().insert("crate::b".into());
    edges.entry("crate::b".into()).or_default().insert("crate::c".into());
    edges.entry("crate::c".into()).or_default().insert("crate::a".into());
    edges.entry("crate::d".into()).or_default().insert("crate::a".into());
    let found = circles(&edges);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].len(), 3);
}
