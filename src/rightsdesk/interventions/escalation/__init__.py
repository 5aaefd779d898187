"""The escalation view: for a state, the responses used so far (register, sanctions, votes,
recommendations) and the proportionate next options given the assessed risk, each with
precedents from the register.
"""
