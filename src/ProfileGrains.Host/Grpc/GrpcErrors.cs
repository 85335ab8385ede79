using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using ProfileGrains.Domain;

namespace ProfileGrains.Host.Grpc;

internal static class GrpcErrors
{
    public static RpcException InvalidArgument(IReadOnlyList<Domain.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "invalid request: " + string.Join("; ", violations.Take(5).Select(v => $"{v.Field} {v.Description}")),
            Details = { Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }

    public static RpcException InvalidArgument(string field, string description) =>
        InvalidArgument([new Domain.FieldViolation(field, description)]);

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
