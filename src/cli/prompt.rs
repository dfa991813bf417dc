//! Asking for things on a terminal: usernames and passwords, with confirmation. Scripts use flags instead.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, bail};

use crate::accounts::{password, token};

/// Whether a person is at the keyboard (stdin and stderr are terminals).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks for a line of text, with a default for an empty answer.
pub fn line(question: &str, default: &str) -> anyhow::Result<String> {
    eprint!("{question} [{default}]: ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    let answer = answer.trim();
    Ok(if answer.is_empty() {
        default.to_owned()
    } else {
        answer.to_owned()
    })
}

/// Asks for a new password twice, up to three times, checking the rules.
pub fn new_password() -> anyhow::Result<String> {
    for _ in 0..3 {
        let first = rpassword::prompt_password("Password: ")?;
        if let Err(e) = password::validate(&first) {
            eprintln!("{e}; try again.");
            continue;
        }
        let second = rpassword::prompt_password("Password again: ")?;
        if first == second {
            return Ok(first);
        }
        eprintln!("The passwords differ; try again.");
    }
    bail!("no password set")
}

/// Reads a password from a file (first line, trailing newline removed).
pub fn password_from_file(path: &Path) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read password file {}", path.display()))?;
    let password = text.lines().next().unwrap_or("").to_owned();
    password::validate(&password).with_context(|| format!("password file {}", path.display()))?;
    Ok(password)
}

/// A random password that meets the rules, for printing once.
pub fn generated_password() -> String {
    token::random_code(20)
}

/// The password for a new or changed account: from `--password-file`, typed in, or generated (then `true`).
pub fn password_for(file: Option<&Path>) -> anyhow::Result<(String, bool)> {
    match file {
        Some(path) => Ok((password_from_file(path)?, false)),
        None if interactive() => Ok((new_password()?, false)),
        None => Ok((generated_password(), true)),
    }
}
