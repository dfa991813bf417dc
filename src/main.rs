//! The `spot` binary: everything lives in the library; see `src/lib.rs` for the map.

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    spot::cli::main()
}
