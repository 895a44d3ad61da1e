"""Field types of the domain's events: the checks of `domain.values` as pydantic types,
so that an event is validated when it is written. Kept apart from the values, which
the read side shows without loading pydantic."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from domain.values import application_ref, assembly_id, clean_name, clean_text, country_code, decision_ref

Country = Annotated[str, AfterValidator(country_code)]
Name = Annotated[str, BeforeValidator(clean_name)]
Text = Annotated[str, BeforeValidator(clean_text)]
AssemblyId = Annotated[str, AfterValidator(assembly_id)]
DecisionRef = Annotated[str, AfterValidator(decision_ref)]
ApplicationRef = Annotated[str, AfterValidator(application_ref)]
