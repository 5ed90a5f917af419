import AgentBase
