// mimalloc: allocation was about a fifth of the CPU time on the fleet with glibc's
// malloc (README, "Performance"); the library keeps the default so embedders choose.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_t`, v2's
/// `include/mimalloc.h`; the bindings do not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    kval::lint::GIVE_BACK.get_or_init(|| give_back);
    kval::cli::main()
}

/// mimalloc gives the memory a thread freed back to the system 10 ms later, and only
/// when that thread allocates again: the threads that checked the files, waiting while
/// the namespaces are read back, kept what they had freed, so a larger input peaked
/// higher. From then on it is given back at once: doing so from the start cost the
/// checking of large CRDs a tenth more time.
#[allow(unsafe_code)]
fn give_back() {
    // SAFETY: these set one of mimalloc's options, a number it reads atomically, and
    // collect a thread's own freed memory; neither touches memory of the program's.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) };
}

#[cfg(test)]
mod tests {
    /// The option at `PURGE_DELAY` is the purge delay: its default is 10 ms, which no
    /// option next to it has.
    #[test]
    #[allow(unsafe_code)]
    fn purge_delay_is_the_option_set() {
        // SAFETY: reads one of mimalloc's options.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) }, 10);
    }
}
