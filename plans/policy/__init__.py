"""Policy: who may see or change what. May import models, rules and words; nothing above."""
