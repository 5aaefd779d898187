"""The UN Framework of Analysis for Atrocity Crimes (2014): 14 risk factors and their
indicators, rated per state in dated, versioned assessments with linked evidence.
"""
