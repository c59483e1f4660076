//! Writing generated files, and telling whether the ones on disk are fresh.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use codegen::Generation;
use codegen::render::GENERATED_HEADER;

/// Writes every file under `src`, leaving unchanged files untouched and
/// removing generated files this generation no longer produces; the
/// features table goes into the `Cargo.toml` beside `src`.
pub fn write(generation: &Generation, src: &Path) -> Result<()> {
    if let Some(table) = &generation.features {
        let cargo_toml = cargo_toml_of(src);
        let text = std::fs::read_to_string(&cargo_toml)
            .with_context(|| format!("reading {}", cargo_toml.display()))?;
        let updated = with_features(&text, table);
        if updated != text {
            std::fs::write(&cargo_toml, updated)
                .with_context(|| format!("writing {}", cargo_toml.display()))?;
        }
    }
    for stale in orphaned(generation, src)? {
        std::fs::remove_file(src.join(&stale)).with_context(|| format!("removing {stale}"))?;
    }
    for file in &generation.files {
        let path = src.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}

/// Writes the generation's name lock at `path`, where its manifest names it.
pub fn write_lock(generation: &Generation, path: Option<&Path>) -> Result<()> {
    let Some(path) = path else {
        return Ok(());
    };
    let text = generation.lock.to_toml();
    if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The name lock, when it differs from the generation's.
pub fn stale_lock(generation: &Generation, path: Option<&Path>) -> Result<Vec<String>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let on_disk = std::fs::read_to_string(path).ok();
    Ok(match on_disk {
        None => vec![format!("{} (missing)", path.display())],
        Some(text) if text != generation.lock.to_toml() => {
            vec![format!("{} (differs)", path.display())]
        }
        Some(_) => Vec::new(),
    })
}

/// Files under `src` that differ from `generation`, each with the reason.
pub fn stale(generation: &Generation, src: &Path) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    if let Some(table) = &generation.features {
        let text = std::fs::read_to_string(cargo_toml_of(src)).unwrap_or_default();
        if with_features(&text, table) != text {
            stale.push("../Cargo.toml [features] (differs)".to_string());
        }
    }
    for file in &generation.files {
        match std::fs::read_to_string(src.join(&file.path)).ok() {
            None => stale.push(format!("{} (missing)", file.path.display())),
            Some(text) if text != file.contents => {
                stale.push(format!("{} (differs)", file.path.display()))
            }
            Some(_) => {}
        }
    }
    for orphan in orphaned(generation, src)? {
        stale.push(format!("{orphan} (no longer generated)"));
    }
    Ok(stale)
}

/// Generated files on disk that this generation no longer produces, in
/// the folders it writes to: each document of the crate owns its own
/// (`src/` and `src/apis/` the main one, `src/v1/…` a mounted one).
fn orphaned(generation: &Generation, src: &Path) -> Result<Vec<String>> {
    let folders: std::collections::BTreeSet<&Path> = generation
        .files
        .iter()
        .filter_map(|f| f.path.parent())
        .collect();
    let mut out = Vec::new();
    for entry in walk(src)? {
        let rel = entry.strip_prefix(src)?.to_path_buf();
        if !rel.parent().is_some_and(|dir| folders.contains(dir)) {
            continue;
        }
        if generation.files.iter().any(|f| f.path == rel) {
            continue;
        }
        if starts_with_header(&entry) {
            out.push(rel.display().to_string());
        }
    }
    out.sort();
    Ok(out)
}

/// Whether the file at `path` begins with the generated-file header; only
/// that many bytes are read.
fn starts_with_header(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(GENERATED_HEADER.len());
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(GENERATED_HEADER.len() as u64)
                .read_to_end(&mut head)
        })
        .is_ok_and(|_| head == GENERATED_HEADER.as_bytes())
}

fn cargo_toml_of(src: &Path) -> PathBuf {
    src.parent().unwrap_or(src).join("Cargo.toml")
}

/// `cargo_toml` with its `[features]` table (up to the next table) replaced
/// by `table`, or `table` appended when there is none; every other line is
/// kept as written.
pub fn with_features(cargo_toml: &str, table: &str) -> String {
    let mut out = String::with_capacity(cargo_toml.len() + table.len());
    let mut in_features = false;
    let mut replaced = false;
    for line in cargo_toml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_features = trimmed.trim_end() == "[features]";
            if in_features {
                out.push_str(table);
                out.push('\n');
                replaced = true;
            }
        }
        if !in_features {
            out.push_str(line);
        }
    }
    if !replaced {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(table);
    } else if out.ends_with("\n\n") {
        // The table was the last one: no blank line after it.
        out.pop();
    }
    out
}

fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation() -> Generation {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../codegen/tests/fixtures/constructs/parameters.yaml");
        codegen::generate(&fixture, &[], &codegen::Settings::default()).unwrap()
    }

    fn temp_src(name: &str) -> PathBuf {
        // Some generated files (tests) live beside `src`, so give it a parent.
        let root = std::env::temp_dir().join(format!("xtask-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("src");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn fresh_after_write_and_stale_after_a_hand_edit() {
        let generation = generation();
        let src = temp_src("edit");
        assert!(
            !stale(&generation, &src).unwrap().is_empty(),
            "empty dir is stale"
        );
        write(&generation, &src).unwrap();
        assert_eq!(stale(&generation, &src).unwrap(), Vec::<String>::new());

        let edited = src.join("types.rs");
        let mut text = std::fs::read_to_string(&edited).unwrap();
        text.push_str("\n// a hand edit\n");
        std::fs::write(&edited, text).unwrap();
        assert_eq!(
            stale(&generation, &src).unwrap(),
            vec!["types.rs (differs)".to_string()]
        );

        write(&generation, &src).unwrap();
        assert!(stale(&generation, &src).unwrap().is_empty());
        std::fs::remove_dir_all(src.parent().unwrap()).unwrap();
    }

    #[test]
    fn the_features_table_is_replaced_and_nothing_else_moves() {
        let cargo =
            "[package]\nname = \"c\"\n\n[features]\nold = []\n\n[dependencies]\nx = \"1\"\n";
        let table = "[features]\nnew = []\n";
        let updated = with_features(cargo, table);
        assert_eq!(
            updated,
            "[package]\nname = \"c\"\n\n[features]\nnew = []\n\n[dependencies]\nx = \"1\"\n"
        );
        assert_eq!(with_features(&updated, table), updated, "idempotent");
        let parsed: toml::Table = toml::from_str(&updated).unwrap();
        assert!(parsed["features"].get("old").is_none());
        let appended = with_features("[package]\nname = \"c\"\n", table);
        let parsed: toml::Table = toml::from_str(&appended).unwrap();
        assert!(parsed["features"].get("new").is_some());
    }

    #[test]
    fn generated_files_no_longer_produced_are_reported_and_removed() {
        let generation = generation();
        let src = temp_src("orphan");
        write(&generation, &src).unwrap();
        std::fs::write(src.join("apis/gone.rs"), format!("{GENERATED_HEADER}\n")).unwrap();
        std::fs::write(src.join("handwritten.rs"), "// mine\n").unwrap();
        assert_eq!(
            stale(&generation, &src).unwrap(),
            vec!["apis/gone.rs (no longer generated)".to_string()]
        );
        write(&generation, &src).unwrap();
        assert!(!src.join("apis/gone.rs").exists());
        assert!(src.join("handwritten.rs").exists());
        std::fs::remove_dir_all(src.parent().unwrap()).unwrap();
    }

    /// Each document owns the folders it writes to: the main document's
    /// generation neither reports nor removes a mounted document's files
    /// (`src/v1/…`), which carry the same header.
    #[test]
    fn another_documents_folder_is_not_an_orphan() {
        let generation = generation();
        let src = temp_src("mounted");
        write(&generation, &src).unwrap();
        std::fs::create_dir_all(src.join("v1/apis")).unwrap();
        for file in ["v1/mod.rs", "v1/apis/users.rs"] {
            std::fs::write(src.join(file), format!("{GENERATED_HEADER}\n")).unwrap();
        }
        assert_eq!(stale(&generation, &src).unwrap(), Vec::<String>::new());
        write(&generation, &src).unwrap();
        assert!(src.join("v1/mod.rs").exists());
        assert!(src.join("v1/apis/users.rs").exists());
        std::fs::remove_dir_all(src.parent().unwrap()).unwrap();
    }
}
