// Debian builds CBC and Clp with their assertions on, and a failed one calls abort(): one odd
// model ended the whole process, with every other result of a regression suite (Clp's
// `lowerValue <= upperValue` in ClpNonLinearCost::checkInfeasibilities, reached through CBC's
// probing cuts; docs/mip.md, "Assertions inside CBC and Clp"). The executable's definition of
// __assert_fail comes before the C library's in the dynamic linker's search order, so the solver
// libraries' assertions arrive here. During a CBC solve on this thread it throws, and the C++
// unwinding carries the failure back to pb_cbc_solve, which reports the solve as failed; anywhere
// else it hands the assertion to the C library, which prints it and aborts as usual.
//
// This file must not include <assert.h>: glibc declares __assert_fail `noexcept` there.
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>

#include "SolverAssertion.hpp"

namespace pipebound {
thread_local bool assertionsThrow = false;
}

extern "C" [[noreturn]] void __assert_fail(const char *assertion, const char *file, unsigned int line,
                                           const char *function) {
    if (pipebound::assertionsThrow) {
        pipebound::SolverAssertionFailure failure;
        std::snprintf(failure.message, sizeof failure.message, "assertion '%s' failed in %s (%s:%u)",
                      assertion != nullptr ? assertion : "?", function != nullptr ? function : "?",
                      file != nullptr ? file : "?", line);
        throw failure;
    }
    using AssertFail = void (*)(const char *, const char *, unsigned int, const char *);
    static AssertFail libraryAssertFail = reinterpret_cast<AssertFail>(dlsym(RTLD_NEXT, "__assert_fail"));
    if (libraryAssertFail != nullptr) libraryAssertFail(assertion, file, line, function);
    std::abort();
}
