"""Session-wide settings for the test suite."""

import os

# Kernels started by nbval and by the book build inherit this process's
# environment.  A MPLBACKEND such as "Agg" set by a CI machine would make
# plt.show() a no-op in the notebooks and their stored figures would go
# missing, so the notebooks always run with IPython's inline backend.
os.environ.pop("MPLBACKEND", None)

# Hypothesis: the default profile is used in CI; "mutation" keeps mutation-testing
# runs (hundreds of test-suite executions, see benchmarks/mutation.md) affordable.
from hypothesis import settings  # noqa: E402

settings.register_profile("mutation", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("UMBOOK_HYPOTHESIS_PROFILE", "default"))
