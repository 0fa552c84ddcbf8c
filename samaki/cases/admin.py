"""Nothing of a case is in the admin: administrators and M&E officers must not open cases, and
the admin is theirs. Case workers and supervisors use the safe house's own pages."""
