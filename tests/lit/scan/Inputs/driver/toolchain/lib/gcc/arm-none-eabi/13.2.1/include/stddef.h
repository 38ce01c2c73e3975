#error "GCC's private include folder must be left out: clang has its own"
