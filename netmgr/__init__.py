"""netmgr: an embedded, Nova-side network manager with the Quantum v2.0 resource model."""

import warnings

# oslo.service and ovs import eventlet, which warns of its own deprecation when imported: a
# nine-line notice nobody running a netmgr command can act on, printed before its output.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
