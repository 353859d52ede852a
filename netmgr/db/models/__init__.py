"""The schema: one module per area, all on ``base.Base``. Importing the package loads every
area, so ``base.Base.metadata`` describes the whole schema (create_all in tests, the
models-versus-migrations comparison). Changes go with an alembic migration."""

from netmgr.db.models import agents  # noqa: F401
from netmgr.db.models import core  # noqa: F401
from netmgr.db.models import l3  # noqa: F401
from netmgr.db.models import quotas  # noqa: F401
from netmgr.db.models import secgroups  # noqa: F401
from netmgr.db.models import segments  # noqa: F401
