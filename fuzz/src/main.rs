//! One AFL++ harness for every fuzz target: `spot-fuzz <target>` reads inputs from AFL++ and hands each to
//! `spot::fuzz::<target>`. See `make fuzz` and the README's security table.

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some((_, target)) = spot::fuzz::TARGETS.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = spot::fuzz::TARGETS.iter().map(|(n, _)| *n).collect();
        eprintln!("usage: spot-fuzz <target>; targets: {}", names.join(", "));
        std::process::exit(2);
    };
    afl::fuzz!(|data: &[u8]| target(data));
}
