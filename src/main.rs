fn main() -> std::process::ExitCode {
    kval::cli::main()
}
