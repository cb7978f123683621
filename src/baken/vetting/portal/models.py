"""Tables of vetting (portal): none yet; scenarios are computed on request."""
