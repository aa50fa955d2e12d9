// mimalloc: allocation was about a fifth of the CPU time on the fleet with glibc's
// malloc (README, "Performance"); the library keeps the default so embedders choose.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kval::cli::main()
}
