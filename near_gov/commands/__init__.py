"""The write commands, by process. Each is a function of the `Register` it runs on and
works through one `Unit` (load, check, save in one transaction); `near_gov.service`
gathers them as the methods of `Governance`."""
