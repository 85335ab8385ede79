using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using ProfileGrains.Domain;

namespace ProfileGrains.Host.Grpc;

internal static class GrpcErrors
{
    /// <summary>
    /// The details travel in a trailer, and clients refuse trailers over 64 KiB by default: a batch of 1,000 bad events
    /// would turn INVALID_ARGUMENT into UNAVAILABLE, which invites retries. Send the first ones and say how many more.
    /// </summary>
    private const int MaxReportedViolations = 100;

    /// <summary>How long a client is told to wait before retrying an UNAVAILABLE call.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public static RpcException InvalidArgument(IReadOnlyList<Domain.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Take(MaxReportedViolations).Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        if (violations.Count > MaxReportedViolations)
        {
            var next = violations[MaxReportedViolations];
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation
            {
                Field = next.Field,
                Description = $"{next.Description} (and {violations.Count - MaxReportedViolations - 1} more violations not listed)",
            });
        }

        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "invalid request: " + string.Join("; ", violations.Take(5).Select(v => $"{v.Field} {v.Description}")) + (violations.Count > 5 ? $" (+{violations.Count - 5} more)" : string.Empty),
            Details = { Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }

    public static RpcException InvalidArgument(string field, string description) =>
        InvalidArgument([new Domain.FieldViolation(field, description)]);

    /// <summary>
    /// UNAVAILABLE: nothing was applied and the same call may be retried; google.rpc.RetryInfo says after how long, so
    /// clients back off instead of retrying at once into the same outage or exhausted pool.
    /// </summary>
    public static RpcException Unavailable(string message) => new Google.Rpc.Status
    {
        Code = (int)Code.Unavailable,
        Message = message,
        Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(RetryDelay) }) },
    }.ToRpcException();

    /// <summary>The request is well formed but the state it needs does not hold; the field and why, as google.rpc.PreconditionFailure.</summary>
    public static RpcException FailedPrecondition(string subject, string description) => new Google.Rpc.Status
    {
        Code = (int)Google.Rpc.Code.FailedPrecondition,
        Message = description,
        Details = { Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.PreconditionFailure { Violations = { new Google.Rpc.PreconditionFailure.Types.Violation { Type = "STATE", Subject = subject, Description = description } } }) },
    }.ToRpcException();

    public static RpcException NotFound(string message) => new(new global::Grpc.Core.Status(StatusCode.NotFound, message));

    /// <summary>Throws INVALID_ARGUMENT listing every violation, when there is any.</summary>
    public static void ThrowIfAny(this Violations violations)
    {
        if (!violations.IsEmpty)
        {
            throw InvalidArgument(violations.Items);
        }
    }
}
