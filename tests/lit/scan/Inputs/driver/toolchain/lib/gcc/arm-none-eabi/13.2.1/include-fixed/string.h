#error "GCC's include-fixed folder must be left out"
