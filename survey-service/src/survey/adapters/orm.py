"""Tables of survey-service (surveys, invitations and responses arrive with their issue)."""

from treue.db import make_metadata
from treue.tables import add_backbone_tables

metadata = make_metadata()
backbone = add_backbone_tables(metadata)
