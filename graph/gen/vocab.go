package gen

// The vocabulary titles, summaries and documents are drawn from. Entries may
// hold several words; a title's length is counted in space-separated words.
// No entry glues a lower-case letter to a following upper-case one after a
// relation word ("aboutX"), so that the exporter's glued items stay
// splittable, and no character lower-cases to ASCII from outside ASCII
// (the Kelvin sign, dotted İ), so that every slug rule agrees on our titles.

var models = []string{
	"Gemma-2-27B", "Gemma-2-9B", "Gemma-7B-it", "Mistral-7B", "Mistral-7B-Instruct-v0.2",
	"Mixtral-8x7B", "CalmeRys-78B", "Llama-2-13B", "Llama-3-8B", "Llama-3-70B",
	"Llama-3.1-405B", "GPT-2-XL", "GPT-3.5", "GPT-4", "GPT-4o", "Claude-3-Opus",
	"Claude-3.5-Sonnet", "Qwen2-72B", "Qwen2.5-7B", "Phi-3-mini", "OLMo-7B",
	"Pythia-1.4B", "Pythia-12B", "Falcon-40B", "Chinchilla-70B", "PaLM-540B",
	"BERT-base", "RoBERTa-large", "DeBERTa-v3", "T5-XXL", "Flan-T5-XL",
	"ResNet-50", "ViT-L/16", "CLIP-ViT-B/32", "Whisper-large", "DeepSeek-V2",
	"Yi-34B", "StarCoder-15B", "CodeLlama-34B", "Vicuna-13B", "Zephyr-7B",
}

var methods = []string{
	"SOO fine-tuning", "LoRA adapters", "DPO training", "PPO with KL penalty",
	"RLHF", "constitutional training", "activation patching", "steering vectors",
	"sparse autoencoders", "linear probes", "causal tracing", "logit lens",
	"contrastive decoding", "chain-of-thought prompting", "self-consistency sampling",
	"retrieval augmentation", "knowledge distillation", "4-bit quantization",
	"magnitude pruning", "mixture-of-experts routing", "curriculum learning",
	"data deduplication", "red-teaming", "adversarial training", "influence functions",
	"representation engineering", "weight averaging", "model merging",
	"instruction tuning", "reward modelling", "best-of-n sampling", "beam search",
	"temperature scaling", "gradient clipping", "learning-rate warmup",
	"self-other overlap training", "circuit discovery", "ablation of attention heads",
	"preference optimisation", "synthetic data generation", "rejection sampling",
}

var nouns = []string{
	"deception", "deceptive behavior", "alignment", "honesty", "sycophancy",
	"refusal rate", "hallucination rate", "factual recall", "calibration",
	"reasoning accuracy", "planning depth", "tool use", "long-context recall",
	"in-context learning", "generalization", "robustness", "interpretability",
	"self-other distinction", "internal representations", "residual stream",
	"attention entropy", "feature superposition", "polysemantic neurons",
	"induction heads", "reward hacking", "specification gaming",
	"goal misgeneralization", "situational awareness", "sleeper agent behavior",
	"emergent abilities", "grokking", "double descent", "scaling laws",
	"loss curves", "perplexity", "validation loss", "gradient noise",
	"weight decay", "batch size", "context length", "compute budget",
	"training tokens", "data mixture", "memorization", "privacy leakage",
	"membership inference", "watermark detection", "toxicity", "bias",
	"fairness gaps", "distribution shift", "out-of-distribution accuracy",
	"held-out performance", "benchmark contamination", "label noise",
	"annotator agreement", "human preference", "win rate", "pass@1",
	"exact match", "F1 score", "BLEU", "expected calibration error",
	"uncertainty estimates", "predictive entropy", "confidence scores",
	"value alignment", "corrigibility", "power-seeking", "model organisms",
	"agent trajectories", "task success", "general capabilities",
	"capability evaluations", "safety evaluations", "jailbreak success",
	"prompt injection", "adversarial suffixes", "refusal direction",
	"truthfulness", "self-knowledge", "introspection", "theory of mind",
	"moral judgements", "multilingual transfer", "code generation",
	"mathematical reasoning", "retrieval quality", "embedding geometry",
	"cosine similarity", "representation drift", "catastrophic forgetting",
	"sample efficiency", "inference cost", "latency", "energy use",
	"token budget", "KV cache size", "attention sinks", "positional encodings",
	"tokenizer artefacts", "naïve baselines", "Schrödinger-style superposition",
	"déjà vu effects", "Pareto frontier", "Bayes-optimal predictors",
}

var adjectives = []string{
	"large", "small", "frontier", "open-weight", "instruction-tuned", "base",
	"multilingual", "adversarial", "held-out", "synthetic", "human-written",
	"long-horizon", "zero-shot", "few-shot", "on-policy", "off-policy",
	"sparse", "dense", "quantized", "distilled", "fine-tuned", "pretrained",
	"deceptive", "honest", "misaligned", "aligned", "robust", "brittle",
	"noisy", "clean", "balanced", "imbalanced", "late-layer", "early-layer",
	"mid-layer", "causal", "linear", "nonlinear", "stochastic", "greedy",
	"hierarchical", "modular", "naïve", "calibrated", "overconfident",
}

var adverbs = []string{
	"significantly", "consistently", "modestly", "sharply", "slightly",
	"substantially", "reliably", "only partially", "monotonically", "rarely",
	"systematically", "markedly", "barely", "robustly",
}

var verbs = []string{
	"reduces", "increases", "improves", "degrades", "predicts", "correlates with",
	"mediates", "explains", "outperforms", "matches", "fails to generalize to",
	"transfers to", "saturates", "scales with", "is robust to", "is sensitive to",
	"amplifies", "suppresses", "does not affect", "recovers", "doubles", "halves",
	"preserves", "undermines", "stabilises", "accelerates", "delays", "reverses",
	"tracks", "dominates", "anticipates", "entangles", "disentangles", "localizes",
}

// baseVerbs are verbs in the form a question or hypothesis needs.
var baseVerbs = []string{
	"reduce", "increase", "improve", "degrade", "predict", "correlate with",
	"mediate", "explain", "outperform", "match", "generalize to", "transfer to",
	"saturate", "scale with", "remain robust to", "amplify", "suppress",
	"affect", "recover", "preserve", "undermine", "stabilise", "accelerate",
	"reverse", "track", "localize", "disentangle",
}

var preps = []string{
	"in", "on", "across", "for", "under", "after", "before", "with", "without",
	"during", "between", "relative to", "compared with", "at", "beyond",
	"within", "through", "despite", "via", "over",
}

var contexts = []string{
	"the Treasure Hunt scenario", "the Escape Room scenario", "the Perspectives scenario",
	"7 scenario variants", "MMLU", "GSM8K", "HumanEval", "TruthfulQA", "BIG-bench Hard",
	"ARC-Challenge", "HellaSwag", "MT-Bench", "AlpacaEval", "SWE-bench", "MATH",
	"WinoGrande", "BBQ", "RealToxicityPrompts", "HarmBench", "AdvBench",
	"the sleeper agent setting", "multi-turn dialogue", "agentic tasks",
	"held-out prompts", "paraphrased prompts", "low-resource languages",
	"code review tasks", "retrieval-heavy workloads", "long documents",
	"the smallest model", "the largest model", "all three LLM experiments",
	"the RL agent environment", "negotiation games", "social deduction games",
}

var firstNames = []string{
	"Marc", "Michael", "Judd", "Cameron", "Ana", "Priya", "Wei", "Yuki", "Lena",
	"Tomás", "Fatima", "Oluwaseun", "Sofia", "Jonas", "Mei", "Rahul", "Chloé",
	"Björn", "Aisha", "Diego", "Hannah", "Kenji", "Olga", "Samuel", "Zoë",
	"Ibrahim", "Elena", "Matteo", "Nadia", "Pedro", "Ravi", "Sara", "Tobias",
	"Yara", "Hiroshi", "Ingrid", "Luca", "Noor", "Emeka", "Grace",
}

var lastNames = []string{
	"Carauleanu", "Vaiana", "Rosenblatt", "Berg", "Nguyen", "Müller", "Zhang",
	"Tanaka", "García", "Okafor", "Kowalski", "Ivanova", "Haddad", "Larsen",
	"Rossi", "Silva", "Patel", "Chen", "Dubois", "Schmidt", "Kim", "Ali",
	"O'Neill", "Novák", "Fernández", "Yamamoto", "Andersson", "Mensah",
	"Hoffmann", "Costa", "Khan", "Lindqvist", "Moreau", "Sato", "Wójcik",
	"Abara", "Petrov", "Svensson", "Delgado", "Øverby",
}

// Title-case words for concepts and paper titles.
var conceptWords = []string{
	"AI", "Deception", "Alignment", "Honesty", "Self-Other", "Overlap",
	"Representation", "Engineering", "Reward", "Hacking", "Goal",
	"Misgeneralization", "Situational", "Awareness", "Sleeper", "Agents",
	"Mechanistic", "Interpretability", "Superposition", "Sycophancy",
	"Scaling", "Laws", "Emergence", "Grokking", "Calibration", "Uncertainty",
	"Corrigibility", "Power-Seeking", "Instrumental", "Convergence", "Value",
	"Learning", "Preference", "Optimization", "Constitutional", "Oversight",
	"Scalable", "Debate", "Amplification", "Red-Teaming", "Jailbreaks",
	"Steering", "Vectors", "Sparse", "Autoencoders", "Circuits", "Features",
	"Probing", "Attention", "Heads", "Induction", "In-Context", "Retrieval",
	"Augmentation", "Distillation", "Quantization", "Memorization", "Privacy",
	"Watermarking", "Robustness", "Generalization", "Transfer", "Theory",
	"Mind", "Introspection", "Agency", "Planning", "Tool", "Use", "Benchmark",
	"Contamination", "Evaluation", "Awareness", "Model", "Organisms",
	"Anchoring", "Score", "Trajectory", "Inverse", "Curriculum", "Naïve",
	"Bayes", "Pareto", "Frontier", "Entropy", "Drift", "Forgetting",
}

var paperOpeners = []string{
	"Towards", "On the", "Understanding", "Measuring", "Rethinking",
	"Revisiting", "Scaling", "Beyond", "When Does", "Why Do", "Probing",
	"Mitigating", "Evaluating", "Learning", "Steering",
}

var summaryOpeners = [kindCount][]string{
	claim: {
		"Central empirical claim of the paper supported by",
		"Forward-looking claim about", "Integration claim positioning",
		"Key interpretive conclusion from", "Claim supported by",
		"Methodological claim that", "Headline claim of the abstract about",
		"Secondary claim qualifying", "Causal claim linking",
		"Limitations claim acknowledging",
	},
	finding: {
		"Primary result showing", "Scaling finding suggesting",
		"Ablation showing", "Negative result on", "Replication result for",
		"Qualitative behavioral analysis showing", "Robustness check on",
		"Secondary result showing", "Null result for", "Dose-response finding on",
	},
	paper: {
		"Paper introducing", "Workshop paper evaluating", "Survey of",
		"Position paper arguing for", "Technical report on",
		"Empirical study of", "Benchmark paper measuring",
	},
	concept: {
		"Central problem the paper addresses:", "Technique for",
		"Phenomenon where", "Umbrella term for", "Property of models that show",
		"Failure mode in which", "Framework describing",
	},
	question: {
		"Open concern about whether", "Open research question about",
		"Unresolved question on", "Follow-up question raised by",
		"Methodological question about", "Open research question identified as warranting",
	},
	hypothesis: {
		"Future work hypothesis about", "Mechanistic hypothesis that",
		"Speculative hypothesis linking", "Testable hypothesis on",
		"Working hypothesis behind",
	},
	method: {
		"Training procedure that applies", "Evaluation protocol for",
		"Fine-tuning recipe combining", "Analysis technique based on",
		"Prompting strategy for",
	},
	dataset: {
		"Evaluation set used to measure", "Synthetic corpus built for",
		"Human-annotated collection of", "Held-out split drawn from",
		"Scenario suite covering",
	},
}

// Prose for writer documents.
var docOpeners = []string{
	"In this section we", "Our working notes", "We now", "Before drafting the results we",
	"This draft", "The argument below", "Here we", "For the reading group we",
}

var docVerbs = []string{
	"summarise", "revisit", "connect", "contrast", "question", "extend",
	"re-examine", "collect", "organise", "compare",
}

var docHeadings = []string{
	"Background", "Related work", "Open problems", "Evidence so far", "Method",
	"Results", "Discussion", "Limitations", "Next steps", "Notes",
	"Threats to validity", "Summary",
}

var citeLeads = []string{
	"as reported in", "following", "see", "compare", "building on", "contrary to",
	"in line with", "as argued in", "cf.", "extending", "unlike", "consistent with",
}

var linkTexts = []string{
	"this result", "the earlier claim", "prior work", "see also", "the replication",
	"the original finding", "a related question", "the concept", "this paper",
	"the dataset", "the method", "one hypothesis",
}

// avoidSuffixes are relation words (ours and those an exporter may glue
// after a title) and kinds: a title ending in one would make a glued item
// ambiguous, so such titles get one more word.
var avoidSuffixes = []string{
	"contradicted_by", "associated_with", "extracted_from", "supported_by",
	"derived_from", "generalizes", "instance_of", "addresses", "motivates",
	"contradicts", "specializes", "replicates", "evaluates", "part_of",
	"supports", "measures", "proposes", "extends", "refines", "answers",
	"depends", "related", "uses", "cites", "about", "tests",
	"claim", "finding", "paper", "concept", "question", "hypothesis",
	"method", "dataset", "model", "result", "experiment", "theory",
	"observation", "definition", "evidence", "task", "metric", "author",
}
