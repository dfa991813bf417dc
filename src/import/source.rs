//! Where exports come from: a JSON file, a folder of them (searched recursively), or a `.zip` of either. Each
//! export can read the files its downloaded assets point to — only files inside the export's own folder (or
//! zip): an absolute path, a `..` step or a link that leads outside is refused without being opened.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Component, Path, PathBuf};

/// Largest asset copied in (an attachment or a picture).
pub const MAX_ASSET_BYTES: u64 = 100 * 1024 * 1024;

/// One export file to read.
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// How it is named in messages: its path (inside the zip, after the zip's path).
    pub name: String,
    /// Its size in bytes (for progress).
    pub size: u64,
    /// Where it is.
    pub location: Location,
}

/// Where an export file and its assets are.
#[derive(Debug, Clone)]
pub enum Location {
    /// A file on disk; assets are relative to its folder.
    File(PathBuf),
    /// An entry of a zip; assets are relative to its folder inside the zip.
    Zip(PathBuf, String),
}

/// Finds the exports under `paths`.
pub fn find(paths: &[PathBuf]) -> Result<Vec<ExportFile>, String> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.is_dir() {
            walk(path, &mut out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
            zip_entries(path, &mut out)?;
        } else {
            out.push(ExportFile {
                name: path.display().to_string(),
                size: meta.len(),
                location: Location::File(path.clone()),
            });
        }
    }
    if out.is_empty() {
        return Err("no .json export files found there".into());
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<ExportFile>) -> Result<(), String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            out.push(ExportFile {
                name: path.display().to_string(),
                size: entry.metadata().map(|m| m.len()).unwrap_or(0),
                location: Location::File(path),
            });
        }
    }
    Ok(())
}

fn zip_entries(path: &Path, out: &mut Vec<ExportFile>) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| format!("{}: not a zip: {e}", path.display()))?;
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| format!("{}: {e}", path.display()))?;
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            continue;
        };
        if entry.is_file()
            && name.to_ascii_lowercase().ends_with(".json")
            && let Some(safe) = entry.enclosed_name()
        {
            names.push((safe.to_string_lossy().replace('\\', "/"), name, entry.size()));
        }
    }
    names.sort();
    for (shown, name, size) in names {
        out.push(ExportFile {
            name: format!("{}:{shown}", path.display()),
            size,
            location: Location::Zip(path.to_owned(), name),
        });
    }
    Ok(())
}

impl ExportFile {
    /// The export's JSON, as a stream.
    pub fn open(&self) -> Result<Box<dyn Read + Send>, String> {
        match &self.location {
            Location::File(path) => Ok(Box::new(BufReader::with_capacity(
                256 * 1024,
                File::open(path).map_err(|e| e.to_string())?,
            ))),
            Location::Zip(zip, name) => {
                // The entry is unpacked to a temporary file first (the entry's reader borrows its archive), as a
                // stream: memory stays flat whatever its size.
                let file = File::open(zip).map_err(|e| e.to_string())?;
                let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
                let mut entry = archive.by_name(name).map_err(|e| e.to_string())?;
                let mut unpacked = tempfile::tempfile().map_err(|e| e.to_string())?;
                std::io::copy(&mut entry, &mut unpacked).map_err(|e| format!("unpacking: {e}"))?;
                std::io::Seek::rewind(&mut unpacked).map_err(|e| e.to_string())?;
                Ok(Box::new(BufReader::with_capacity(256 * 1024, unpacked)))
            }
        }
    }

    /// An asset the export refers to by a relative path (`None` for a URL: it was not downloaded). Errors name
    /// why it cannot be used: missing, too large, or outside the export.
    pub fn asset(&self, reference: &str) -> Result<Option<Vec<u8>>, String> {
        if reference.is_empty() || reference.contains("://") || reference.starts_with("data:") {
            return Ok(None);
        }
        let decoded = percent_decode(reference);
        let relative = safe_relative(&decoded)?;
        match &self.location {
            Location::File(path) => {
                let base = path.parent().unwrap_or(Path::new("."));
                let full = base.join(&relative);
                let canonical_base = base.canonicalize().map_err(|e| e.to_string())?;
                let canonical = full
                    .canonicalize()
                    .map_err(|_| format!("{decoded}: not in the export"))?;
                if !canonical.starts_with(&canonical_base) {
                    return Err(format!("{decoded}: leads outside the export; not read"));
                }
                let meta = std::fs::metadata(&canonical).map_err(|e| e.to_string())?;
                if !meta.is_file() || meta.len() > MAX_ASSET_BYTES {
                    return Err(format!("{decoded}: not a file of at most 100 MB"));
                }
                std::fs::read(&canonical).map(Some).map_err(|e| e.to_string())
            }
            Location::Zip(zip, name) => {
                let folder = Path::new(name).parent().unwrap_or(Path::new(""));
                let wanted = folder.join(&relative).to_string_lossy().replace('\\', "/");
                let file = File::open(zip).map_err(|e| e.to_string())?;
                let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
                let entry = archive
                    .by_name(&wanted)
                    .map_err(|_| format!("{decoded}: not in the export"))?;
                if entry.size() > MAX_ASSET_BYTES {
                    return Err(format!("{decoded}: larger than 100 MB"));
                }
                let mut bytes = Vec::with_capacity(entry.size() as usize);
                entry
                    .take(MAX_ASSET_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| e.to_string())?;
                Ok(Some(bytes))
            }
        }
    }
}

/// A relative path with only normal steps; anything else is refused before any file is touched.
fn safe_relative(reference: &str) -> Result<PathBuf, String> {
    let path = Path::new(reference);
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return Err(format!("{reference}: leads outside the export; not read")),
        }
    }
    if out.as_os_str().is_empty() {
        return Err(format!("{reference}: not a file"));
    }
    Ok(out)
}

/// `%20` and friends, as DiscordChatExporter writes asset paths in URLs.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(byte) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_paths_stay_inside() {
        assert!(safe_relative("../../etc/passwd").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("assets/../../x").is_err());
        assert_eq!(
            safe_relative("./assets/a b.png").unwrap(),
            PathBuf::from("assets/a b.png")
        );
        assert_eq!(percent_decode("a%20b%2Fc.png"), "a b/c.png");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
