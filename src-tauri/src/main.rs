// One binary, two faces: no command opens the window, a command runs headless.
fn main() {
    std::process::exit(safar::cli::main());
}
