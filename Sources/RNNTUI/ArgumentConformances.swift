import ArgumentParser
import RNNEngine
import RNNTraining

extension CellKind: ExpressibleByArgument {}
extension Nonlinearity: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension InitScheme: ExpressibleByArgument {}
extension DatasetOptions.MissingValuePolicy: ExpressibleByArgument {}
extension DatasetOptions.Tokenization: ExpressibleByArgument {}
extension DatasetOptions.OutlierPolicy: ExpressibleByArgument {}

/// `--gru-convention after|before`.
enum GRUConvention: String, ExpressibleByArgument, CaseIterable {
    case after, before
}

/// `--schedule constant|step|cosine`.
typealias ScheduleName = SetupOverrides.ScheduleKind
extension SetupOverrides.ScheduleKind: ExpressibleByArgument {}
