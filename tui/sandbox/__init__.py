"""An in-process emulation of Azure Resource Manager and DMS, plus simulated SQL Servers.

``Sandbox(seed)`` gives a transport and a credential that the real Azure SDK clients use
unchanged; see :class:`tui.sandbox.sandbox.Sandbox`.
"""

from .faults import Fault
from .sandbox import Sandbox

__all__ = ["Sandbox", "Fault"]
