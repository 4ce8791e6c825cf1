"""Dangwu (电子党务平台): the e-Party-affairs platform."""
