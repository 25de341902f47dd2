"""openimr.review: the determination engine.

from openimr.review.normalize import normalize_request   # free text -> NormalizedRequest
from openimr.review.decide import decide_item, determine # facts + items -> EngineDetermination
"""
