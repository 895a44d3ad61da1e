"""Histories the service-level suites start from ("given"), recorded through the
Governance API, which is tested on its own."""


def given_member(gov, name, country, since="1996-09", source="NEAR brochure"):
    gov.register_region(name, country)
    gov.record_status(name, "member", since, source)


def given_rasun_city_scheduled_for_ga4(gov, on="2002-03"):
    """Khabarovsk Territory hosts GA-4; Rasun City's application awaits its vote."""
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    ref = gov.submit_application("Rasun City", "KP", "member", on)["reference"]
    gov.screen_application(ref, eligible=True)
    gov.schedule_application(ref, "GA-4")
    return ref


def given_rasun_city_admitted_at_ga4(gov):
    """As above, then GA-4/D1 approved the application."""
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.decide("GA-4", "approve", application=ref)
    return ref
