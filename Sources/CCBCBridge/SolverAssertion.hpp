// Shared by the bridge and the process's __assert_fail (SolverAssertion.cpp): while a CBC solve runs
// on a thread, a failed assertion inside CBC or Clp throws SolverAssertionFailure on that thread
// instead of aborting the process (docs/mip.md, "Assertions inside CBC and Clp").
#ifndef PIPEBOUND_SOLVER_ASSERTION_HPP
#define PIPEBOUND_SOLVER_ASSERTION_HPP

namespace pipebound {

/// What a failed assertion throws during a CBC solve: the assertion's own words.
struct SolverAssertionFailure {
    char message[240];
};

/// Whether assertions on this thread throw (a CBC solve is running on it).
extern thread_local bool assertionsThrow;

/// Turns assertions into exceptions on this thread for its lifetime (one solve).
class ThrowingAssertions {
public:
    ThrowingAssertions() : previous_(assertionsThrow) { assertionsThrow = true; }
    ~ThrowingAssertions() { assertionsThrow = previous_; }
    ThrowingAssertions(const ThrowingAssertions &) = delete;
    ThrowingAssertions &operator=(const ThrowingAssertions &) = delete;

private:
    bool previous_;
};

}  // namespace pipebound

#endif
